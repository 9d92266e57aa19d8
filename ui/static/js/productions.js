// The productions page, for admins and counsel: production sets, a form
// to create one, exports started in the background and followed until
// they finish (the API's job list is polled), their downloads, and the
// breach-notification report with the selected production's Bates
// numbers.
import { api, el, fill, status, showError, fmtDate, fmtNumber } from './lib.js';

const productionsBody = document.querySelector('#productions tbody');
const createForm = document.getElementById('create-form');
const exportForm = document.getElementById('export-form');
const select = document.getElementById('production');
const exportSubmit = document.getElementById('export-submit');
const exportsBody = document.querySelector('#exports tbody');
const notifyBody = document.querySelector('#notify tbody');
const notifySummary = document.getElementById('notify-summary');
const notifyCSV = document.getElementById('notify-csv');

const pollEvery = 700; // ms between two looks at a running export
let pollTimer = 0;
let wasRunning = false;

function emptyRow(cols, text) {
  return el('tr', {}, el('td', { colspan: String(cols), class: 'muted' }, text));
}

function productionRow(p) {
  return el('tr', { dataset: { name: p.name } },
    el('td', {}, p.name), el('td', {}, el('code', {}, p.prefix)), el('td', {}, el('code', {}, p.next)),
    el('td', { class: 'num' }, fmtNumber(p.exports)), el('td', { class: 'num' }, fmtNumber(p.documents)),
    el('td', {}, fmtDate(p.created)));
}

// loadProductions fills the table and the select, keeping the selected
// production (or selecting name).
async function loadProductions(name) {
  const res = await api('/productions');
  const list = res.productions || [];
  fill(productionsBody, list.length ? list.map(productionRow) : emptyRow(6, 'No production yet: create one.'));
  const keep = name || select.value;
  fill(select, list.map((p) => el('option', { value: p.name }, p.name + ' (' + p.prefix + ', next ' + p.next + ')')));
  if (keep && list.some((p) => p.name === keep)) select.value = keep;
  exportSubmit.disabled = !list.length;
  document.getElementById('create').open = !list.length;
}

function jobStatus(j) {
  if (j.status === 'running') {
    return el('span', { class: 'job-status running' }, 'running' + (j.total ? ' · ' + fmtNumber(j.handled) + ' of ' + fmtNumber(j.total) + ' messages' : ''));
  }
  if (j.status === 'failed') return el('span', { class: 'job-status failed error' }, 'failed: ' + (j.error || 'unknown error'));
  return el('span', { class: 'job-status done' }, 'done');
}

function jobRow(j) {
  return el('tr', { class: 'job', dataset: { status: j.status, seq: j.seq ? String(j.seq) : '', job: j.job || '' } },
    el('td', { class: 'num' }, j.seq ? String(j.seq) : ''),
    el('td', {}, jobStatus(j)),
    el('td', {}, el('code', {}, j.query),
      [j.redact ? 'redacted' : null, j.include_privileged ? 'privileged included' : null, j.privilege_log ? 'privilege log' : null]
        .filter(Boolean).map((o) => [' ', el('span', { class: 'badge' }, o)])),
    el('td', {}, j.user || ''),
    el('td', {}, fmtDate(j.started)),
    el('td', { class: 'num' }, j.status === 'done' ? fmtNumber(j.messages) : ''),
    el('td', { class: 'num' }, fmtNumber(j.documents)),
    el('td', { class: 'num' }, j.status === 'done' ? fmtNumber(j.withheld) : ''),
    el('td', { class: 'bates' }, j.bates ? el('code', {}, j.bates) : (j.status === 'done' ? 'none used' : '')),
    el('td', {}, j.download ? el('a', { href: j.download, download: '', class: 'download' }, 'Download .zip') : ''));
}

// loadExports shows the selected production's exports, and looks again
// while one runs; when it has finished, the numbers and the notification
// report are read again.
async function loadExports() {
  clearTimeout(pollTimer);
  const name = select.value;
  if (!name) {
    fill(exportsBody, emptyRow(10, 'Create a production first.'));
    return;
  }
  const res = await api('/productions/' + encodeURIComponent(name) + '/exports');
  if (name !== select.value) return;
  const list = res.exports || [];
  fill(exportsBody, list.length ? list.map(jobRow) : emptyRow(10, 'No export yet.'));
  const running = list.some((j) => j.status === 'running');
  if (running) {
    pollTimer = setTimeout(() => loadExports().catch(showError), pollEvery);
  } else if (wasRunning) {
    await loadProductions();
    await loadNotify();
    status('The export has finished.');
  }
  wasRunning = running;
}

function person(p) {
  return p.name ? p.name + ' <' + p.address + '>' : p.address;
}

function wave(w) {
  if (!w) return '';
  return w.leak + (w.batch ? ' / ' + w.batch : '') + (w.published ? ', ' + fmtDate(w.published, true) : '');
}

// loadNotify shows the breach-notification report, with the selected
// production's Bates numbers.
async function loadNotify() {
  const params = new URLSearchParams();
  if (select.value) params.set('production', select.value);
  const rep = await api('/notify?' + params);
  const people = rep.people || [];
  fill(notifySummary, fmtNumber(people.length) + (people.length === 1 ? ' person' : ' people') + ' affected; ' +
    fmtNumber(rep.flagged) + ' of ' + fmtNumber(rep.messages) + ' messages hold personal data.');
  params.set('format', 'csv');
  notifyCSV.href = '/api/v1/notify?' + params;
  fill(notifyBody, people.length ? people.map((p) => el('tr', {},
    el('td', {}, person(p)),
    el('td', {}, p.categories.join(', ')),
    el('td', { class: 'num' }, fmtNumber(p.messages)),
    el('td', {}, wave(p.first_wave)),
    el('td', {}, (p.bates || []).slice(0, 3).join(', ') + ((p.bates || []).length > 3 ? ' +' + (p.bates.length - 3) : ''))))
    : emptyRow(5, 'Nobody: no personal data was found.'));
}

async function onProduction() {
  try {
    wasRunning = false;
    await Promise.all([loadExports(), loadNotify()]);
  } catch (e) {
    showError(e);
  }
}

createForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const v = (id) => document.getElementById(id).value.trim();
  const body = { name: v('create-name'), prefix: v('create-prefix'), digits: parseInt(v('create-digits'), 10) || 0, start: parseInt(v('create-start'), 10) || 0 };
  try {
    const res = await api('/productions', { method: 'POST', body });
    createForm.reset();
    await loadProductions(res.production.name);
    await onProduction();
    status('Production ' + res.production.name + ' created: its first number is ' + res.production.next + '.');
  } catch (e) {
    showError(e);
  }
});

function byTag() {
  return document.getElementById('by-tag').checked;
}

function syncBy() {
  document.getElementById('export-tag').disabled = !byTag();
  document.getElementById('export-query').disabled = byTag();
}

exportForm.addEventListener('change', (ev) => {
  if (ev.target.name === 'by') syncBy();
  if (ev.target === select) onProduction();
});

exportForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const on = (id) => document.getElementById(id).checked;
  const body = { redact: on('export-redact'), include_privileged: on('export-privileged'), privilege_log: on('export-privlog') };
  if (byTag()) body.tag = document.getElementById('export-tag').value.trim();
  else body.query = document.getElementById('export-query').value.trim();
  exportSubmit.disabled = true;
  try {
    const res = await api('/productions/' + encodeURIComponent(select.value) + '/exports', { method: 'POST', body });
    status('Export started (job ' + res.job.job + ').');
    // It may be done by the first look: reload the numbers either way.
    wasRunning = true;
    await loadExports();
  } catch (e) {
    showError(e);
  } finally {
    exportSubmit.disabled = !select.value;
  }
});

async function start() {
  syncBy();
  try {
    await loadProductions();
    await onProduction();
  } catch (e) {
    showError(e);
  }
}

start();
