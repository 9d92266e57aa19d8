// What the person page and "My exposure" both show of a person.
import { api, el, fmtDate, fmtAddr, fmtNumber, flagBadge, riskBadge } from './lib.js';

export function personSummary(p) {
  return [
    el('dl', { class: 'pairs' },
      el('dt', {}, 'Address'), el('dd', {}, p.address),
      p.title || p.department ? [el('dt', {}, 'Role'), el('dd', {}, [p.title, p.department].filter(Boolean).join(', '))] : null,
      el('dt', {}, 'Sent'), el('dd', {}, fmtNumber(p.sent)),
      el('dt', {}, 'Received'), el('dd', {}, fmtNumber(p.received)),
      el('dt', {}, 'Mentioned'), el('dd', {}, fmtNumber(p.mentioned)),
      el('dt', {}, 'First and last'), el('dd', {}, (fmtDate(p.first, true) || '?') + ' to ' + (fmtDate(p.last, true) || '?'))),
    el('h2', {}, 'Sensitive content in their messages'),
    Object.keys(p.flags || {}).length
      ? el('ul', { class: 'flag-counts' }, Object.entries(p.flags).sort((a, b) => b[1] - a[1]).map(([c, n]) => el('li', {}, flagBadge(c), ' ', fmtNumber(n) + (n === 1 ? ' message' : ' messages'))))
      : el('p', { class: 'muted' }, 'None flagged.'),
  ];
}

export async function messageList(ids, heading) {
  const box = el('section', {}, el('h2', {}, heading + ' (' + fmtNumber(ids.length) + ')'));
  const list = el('ol', { class: 'results compact' });
  box.append(list);
  // Subjects and dates of the first 100, 20 ids to a search.
  const first = ids.slice(0, 100);
  for (let i = 0; i < first.length; i += 20) {
    const q = first.slice(i, i + 20).map((x) => 'id:' + x).join(' OR ');
    const res = await api('/search?' + new URLSearchParams({ q, sort: 'risk', limit: '20' }));
    for (const h of res.hits) {
      list.append(el('li', { class: 'hit' },
        el('div', { class: 'hit-head' }, el('a', { class: 'subject', href: '/messages/' + encodeURIComponent(h.id) }, h.subject || '(no subject)'),
          h.risk > 0 ? riskBadge(h.risk) : null, el('span', { class: 'badges' }, h.flags.map((f) => flagBadge(f)))),
        el('div', { class: 'meta' }, el('span', { class: 'date' }, fmtDate(h.date)), el('span', { class: 'from' }, fmtAddr(h.from)))));
    }
  }
  if (ids.length > first.length) box.append(el('p', { class: 'muted' }, `The first ${first.length} are listed.`));
  return box;
}
