// The exposure dashboard: totals, leaked mail by month and by wave,
// flags by category, reconciliation with the archive, the most exposed
// people, the highest-risk messages and the counterparties.
import { api, el, fill, status, showError, fmtDate, fmtAddr, fmtNumber, flagBadge, riskBadge, flagLabels } from './lib.js';
import { barChart, hBarChart, monthSeries } from './charts.js';

const board = document.getElementById('dashboard');

function total(label, value, note) {
  return el('div', { class: 'total' }, el('span', { class: 'value' }, value), el('span', { class: 'label' }, label),
    note ? el('span', { class: 'note' }, note) : null);
}

function search(q, sort) {
  return '/search?' + new URLSearchParams({ q, sort: sort || '-date' });
}

function months(rep) {
  const { items, outside } = monthSeries(rep.months || []);
  if (!items.length) return el('p', { class: 'muted' }, 'No dated messages.');
  // Long spans read better by quarter.
  let bars = items.map((m) => ({ label: m.month, value: m.value, href: search('date:' + m.month), tip: `${m.month}: ${fmtNumber(m.value)} messages` }));
  if (items.length > 48) {
    const quarters = new Map();
    for (const m of items) {
      const [y, mo] = m.month.split('-').map(Number);
      const q = `${y}-Q${Math.floor((mo - 1) / 3) + 1}`;
      const e = quarters.get(q) || { label: q, value: 0, first: m.month, last: m.month };
      e.value += m.value;
      e.last = m.month;
      quarters.set(q, e);
    }
    bars = [...quarters.values()].map((q) => ({ label: q.label, value: q.value, href: search(`date:${q.first}..${q.last}`), tip: `${q.label}: ${fmtNumber(q.value)} messages` }));
  }
  return [
    barChart(bars, { label: `Leaked messages by ${items.length > 48 ? 'quarter' : 'month'}, ${bars[0].label} to ${bars[bars.length - 1].label}` }),
    outside ? el('p', { class: 'muted' }, `${fmtNumber(outside)} messages dated outside this range are not shown.`) : null,
  ];
}

function waves(rep) {
  const list = rep.batches || [];
  if (!list.length) return el('p', { class: 'muted' }, 'No waves.');
  // The day each wave was published when it was given, else the day it
  // was ingested.
  const sub = (b) => (b.published ? 'published ' + fmtDate(b.published, true) : 'ingested ' + fmtDate(b.ingested, true));
  const bars = list.map((b) => ({
    label: b.batch || b.leak, sub: sub(b),
    value: b.messages, href: search(b.batch ? 'batch:' + b.batch : 'leak:' + b.leak),
    tip: `${b.leak}${b.batch ? ' / ' + b.batch : ''}: ${fmtNumber(b.messages)} messages first published in this wave, ${sub(b)}`,
  }));
  return barChart(bars, { label: 'Messages first published in each wave', sub: true, height: 200 });
}

function flags(stats) {
  const f = (stats.facets || []).find((x) => x.name === 'flag');
  if (!f || !f.values.length) return el('p', { class: 'muted' }, 'Nothing sensitive was flagged.');
  const bars = f.values.map((v) => ({ label: flagLabels[v.value] || v.value, value: v.count, href: search('flag:' + v.value, 'risk'), className: 'flag-' + v.value }));
  return hBarChart(bars, { label: 'Messages per sensitive-content category' });
}

function reconciliationBox(rep) {
  if (!rep.reference_total) return el('p', { class: 'muted' }, 'No reference archive loaded (leakscope reference).');
  const m = rep.matches || {};
  const published = (rep.published || []).length;
  const altered = (rep.published || []).filter((p) => p.altered).length;
  const kinds = Object.entries(m).filter(([k]) => k !== 'none').map(([k, v]) => `${k} ${fmtNumber(v)}`).join(', ');
  return el('dl', { class: 'pairs' },
    el('dt', {}, 'Our archive'), el('dd', {}, fmtNumber(rep.reference_total) + ' messages'),
    el('dt', {}, 'Published'), el('dd', {}, fmtNumber(published) + (kinds ? ' (' + kinds + ')' : '')),
    el('dt', {}, 'Not published'), el('dd', {}, fmtNumber(rep.reference_total - published)),
    el('dt', {}, 'Altered copies'), el('dd', {}, fmtNumber(altered)),
    el('dt', {}, 'Not in our archive'), el('dd', {}, fmtNumber((rep.not_in_archive || []).length), ' ',
      el('span', { class: 'muted' }, 'leaked mail from our domains that matches nothing we hold')));
}

function people(rep) {
  const list = (rep.people || []).slice().sort((a, b) => (b.sent + b.received + b.mentioned) - (a.sent + a.received + a.mentioned)).slice(0, 15);
  if (!list.length) return el('p', { class: 'muted' }, 'No people: load a directory (leakscope org --people) or set the company domains.');
  return el('div', { class: 'table-wrap' }, el('table', { class: 'data people' },
    el('thead', {}, el('tr', {}, ['Person', 'Department', 'Sent', 'Received', 'Mentioned', 'Sensitive', 'First', 'Last'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, list.map((p) => el('tr', {},
      el('td', {}, el('a', { href: '/people/' + encodeURIComponent(p.address) }, p.name || p.address), p.vip ? el('span', { class: 'badge vip' }, 'VIP') : null,
        p.name ? el('div', { class: 'muted' }, p.address) : null),
      el('td', {}, [p.title, p.department].filter(Boolean).join(', ')),
      el('td', { class: 'num' }, fmtNumber(p.sent)), el('td', { class: 'num' }, fmtNumber(p.received)), el('td', { class: 'num' }, fmtNumber(p.mentioned)),
      el('td', {}, Object.keys(p.flags || {}).map((c) => flagBadge(c))),
      el('td', {}, fmtDate(p.first, true)), el('td', {}, fmtDate(p.last, true)))))));
}

function risky(res) {
  return res.hits.filter((h) => h.risk > 0).map((h) => el('li', { class: 'hit' },
    el('div', { class: 'hit-head' }, el('a', { class: 'subject', href: '/messages/' + encodeURIComponent(h.id) }, h.subject || '(no subject)'),
      riskBadge(h.risk), el('span', { class: 'badges' }, h.flags.map((f) => flagBadge(f)))),
    el('div', { class: 'meta' }, el('span', { class: 'date' }, fmtDate(h.date)), el('span', { class: 'from' }, fmtAddr(h.from)))));
}

function domains(rep) {
  const list = (rep.domains || []).slice(0, 10);
  if (!list.length) return el('p', { class: 'muted' }, 'None.');
  return hBarChart(list.map((d) => ({ label: d.domain, value: d.messages, href: search('from:' + d.domain + ' OR to:' + d.domain), tip: `${d.domain}: ${d.messages} messages, ${d.addresses} addresses` })),
    { label: 'Messages with other organisations', labelWidth: 170 });
}

async function load() {
  status('Loading the exposure report…');
  try {
    const [rep, stats, top] = await Promise.all([
      api('/exposure'),
      api('/stats'),
      api('/search?' + new URLSearchParams({ q: '*', sort: 'risk', limit: '10' })),
    ]);
    const flagged = ((stats.facets || []).find((x) => x.name === 'flag') || { values: [] }).values;
    const peopleWithData = (rep.people || []).filter((p) => Object.keys(p.flags || {}).length).length;
    fill(document.getElementById('totals'),
      total('messages in the leak', fmtNumber(rep.leak_total)),
      total('waves', fmtNumber((rep.batches || []).length)),
      total('of our messages published', fmtNumber((rep.published || []).length), rep.reference_total ? 'of ' + fmtNumber(rep.reference_total) + ' archived' : 'no archive loaded'),
      total('people exposed', fmtNumber((rep.people || []).length), fmtNumber(peopleWithData) + ' with sensitive content'),
      total('sensitive categories', fmtNumber(flagged.length)));
    fill(document.getElementById('chart-months'), months(rep));
    fill(document.getElementById('chart-waves'), waves(rep));
    fill(document.getElementById('chart-flags'), flags(stats));
    fill(document.getElementById('reconciliation'), reconciliationBox(rep));
    fill(document.getElementById('people'), people(rep));
    fill(document.getElementById('risky'), risky(top));
    fill(document.getElementById('domains'), domains(rep));
    status('Report of ' + fmtDate(rep.generated));
  } catch (e) {
    showError(e);
  } finally {
    board.removeAttribute('aria-busy');
  }
}

load();
