// The audit log, for admins, a page of entries at a time.
import { api, el, status, showError, fmtNumber } from './lib.js';

const form = document.getElementById('audit-form');
const body = document.querySelector('#audit tbody');
const more = document.getElementById('more');
let next = '';

function row(e) {
  return el('tr', { class: e.status >= 400 ? 'refused' : '' },
    el('td', { class: 'num' }, String(e.seq)),
    el('td', {}, e.time.replace('T', ' ').replace(/\.\d+/, '').replace('Z', '')),
    el('td', {}, e.user), el('td', {}, e.role || ''), el('td', {}, el('code', {}, e.action)),
    el('td', {}, e.target || ''), el('td', {}, e.detail || ''), el('td', {}, e.remote || ''),
    el('td', { class: 'num' }, e.status ? String(e.status) : ''),
    el('td', {}, el('code', { title: e.hash || '' }, (e.hash || '').slice(0, 10))));
}

async function load(after, append) {
  status('Loading…');
  try {
    const res = await api('/audit?' + new URLSearchParams({ after: String(after), limit: '200' }));
    if (!append) body.replaceChildren();
    for (const e of res.entries) body.append(row(e));
    next = res.next || '';
    more.hidden = !next;
    status(fmtNumber(body.children.length) + ' entries shown');
  } catch (e) {
    showError(e);
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  load(Math.max(0, parseInt(form.after.value, 10) || 0), false);
});
more.addEventListener('click', () => load(next, true));
load(0, false);
