// The search page: query box, sort, facets with counts, results with
// highlighted snippets, flag badges, copies; "More results" pages with the
// API's cursor. The query lives in the URL (?q=&sort=), so searches can be
// bookmarked and the back button works. Admins and counsel also see each
// hit's review tags and the tag facet, and may tag every result at once.
import { api, el, fill, status, showError, fmtDate, fmtAddr, fmtNumber, flagBadge, riskBadge, spans, flagLabels } from './lib.js';
import { mayTag, tagBadge, tagPicker, changeTag } from './tags.js';

const form = document.getElementById('search-form');
const input = document.getElementById('q');
const sort = document.getElementById('sort');
const results = document.getElementById('results');
const count = document.getElementById('results-heading');
const facets = document.getElementById('facets');
const more = document.getElementById('more');

const facetTitles = { flag: 'Sensitive content', custodian: 'Mailbox', leak: 'Leak', sender_domain: 'Sender domain', month: 'Month', has_attachment: 'Attachments', tag: 'Tag' };

// facetClause is the query clause that selects one facet value ('' when
// there is none).
function facetClause(name, value) {
  switch (name) {
    case 'flag': return 'flag:' + quote(value);
    case 'custodian': return 'mailbox:' + quote(value);
    case 'leak': return 'leak:' + quote(value);
    case 'sender_domain': return 'from:' + quote(value);
    case 'month': return 'date:' + value;
    case 'tag': return 'tag:' + quote(value);
    case 'has_attachment': return value === 'yes' ? 'has:attachment' : '-has:attachment';
  }
  return '';
}

function facetLabel(name, value) {
  if (name === 'flag') return flagLabels[value] || value;
  if (name === 'has_attachment') return value === 'yes' ? 'with attachments' : 'without attachments';
  return value;
}

let cursor = '';
let current = null;

function quote(v) {
  return /[\s():"]/.test(v) ? '"' + v.replace(/"/g, '') + '"' : v;
}

function hitItem(h) {
  const badges = h.flags.map((f) => flagBadge(f));
  const meta = [
    el('span', { class: 'date' }, fmtDate(h.date) || 'no date'),
    el('span', { class: 'from' }, fmtAddr(h.from)),
  ];
  if (h.to && h.to.length) meta.push(el('span', { class: 'to' }, 'to ' + h.to.slice(0, 3).map(fmtAddr).join(', ') + (h.to.length > 3 ? ' +' + (h.to.length - 3) : '')));
  const where = [];
  where.push(el('span', { title: 'copies of this message in the leak' }, h.copies + (h.copies === 1 ? ' copy' : ' copies')));
  if (h.custodians.length) where.push(el('span', { class: 'custodians' }, 'in ' + h.custodians.join(', ')));
  if (h.leaks.length) where.push(el('span', {}, h.leaks.join(', ')));
  if (h.attachments) where.push(el('span', {}, h.attachments + (h.attachments === 1 ? ' attachment' : ' attachments')));
  return el('li', { class: 'hit', dataset: { id: h.id } },
    el('div', { class: 'hit-head' },
      el('a', { class: 'subject', href: '/messages/' + encodeURIComponent(h.id) }, h.subject || '(no subject)'),
      h.risk > 0 ? riskBadge(h.risk) : null,
      badges.length ? el('span', { class: 'badges' }, badges) : null,
      h.tags && h.tags.length ? el('span', { class: 'badges tags' }, h.tags.map(tagBadge)) : null),
    el('div', { class: 'meta' }, meta),
    h.snippet ? el('p', { class: 'snippet' }, spans(h.snippet, h.highlights)) : null,
    el('div', { class: 'where' }, where));
}

function facetBox(f, q) {
  const items = f.values.map((v) => {
    const body = [el('span', { class: 'facet-value' }, facetLabel(f.name, v.value)), el('span', { class: 'count' }, fmtNumber(v.count))];
    const clause = facetClause(f.name, v.value);
    if (!clause) return el('li', {}, body);
    const next = q.split(/\s+/).includes(clause) ? q : (q === '*' ? clause : q + ' ' + clause);
    return el('li', {}, el('a', { href: '/search?' + new URLSearchParams({ q: next, sort: sort.value }), class: 'facet-link', dataset: { facet: f.name, value: v.value } }, body));
  });
  if (f.other) items.push(el('li', { class: 'other' }, el('span', { class: 'facet-value' }, 'others'), el('span', { class: 'count' }, fmtNumber(f.other))));
  return el('section', { class: 'facet', dataset: { facet: f.name } },
    el('h3', {}, facetTitles[f.name] || f.name), el('ul', {}, items));
}

// tagAll is the form that tags every result of the current query (all
// pages): for admins and counsel, shown when there are results.
const tagAll = mayTag() ? tagAllForm() : null;

function tagAllForm() {
  const picker = tagPicker('tag-all', true);
  const button = el('button', { type: 'submit', id: 'tag-all-submit' }, 'Tag all results');
  const form = el('form', { id: 'tag-all', class: 'inline-form wrap tag-all', 'aria-label': 'Tag every result', hidden: true }, picker.node, button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = picker.value();
    button.disabled = true;
    status('Tagging…');
    try {
      const res = await changeTag(name, true, { query: current, note: picker.note() });
      picker.reset();
      await run(current, sort.value, false);
      status('Tagged ' + fmtNumber(res.matched) + (res.matched === 1 ? ' message' : ' messages') + ' ' + res.tag + ' (' + fmtNumber(res.changed) + ' changed).', 'done');
    } catch (e) {
      showError(e);
    } finally {
      button.disabled = false;
    }
  });
  count.after(form);
  return { form, button };
}

function showTagAll(total) {
  if (!tagAll) return;
  tagAll.form.hidden = !total;
  tagAll.button.textContent = 'Tag all ' + fmtNumber(total) + (total === 1 ? ' result' : ' results');
}

async function run(q, s, append) {
  const params = new URLSearchParams({ q, sort: s, limit: '20' });
  if (append) params.set('after', cursor);
  else params.set('facets', 'true');
  status(append ? 'Loading more…' : 'Searching…');
  results.setAttribute('aria-busy', 'true');
  try {
    const res = await api('/search?' + params);
    if (!append) {
      results.replaceChildren();
      fill(count, fmtNumber(res.total) + (res.total === 1 ? ' message' : ' messages') + (res.redacted ? ' · sensitive values redacted' : ''));
      fill(facets, (res.facets || []).filter((f) => f.values.length).map((f) => facetBox(f, q)));
      showTagAll(res.total);
    }
    for (const h of res.hits) results.append(hitItem(h));
    cursor = res.next || '';
    more.hidden = !cursor;
    status('');
    if (!append && res.total === 0) results.append(el('li', { class: 'empty' }, 'No message matches.'));
  } catch (e) {
    showError(e);
    if (!append) {
      results.replaceChildren();
      count.textContent = '';
      facets.replaceChildren();
      more.hidden = true;
      showTagAll(0);
    }
  } finally {
    results.removeAttribute('aria-busy');
  }
}

function fromURL() {
  const p = new URLSearchParams(location.search);
  const q = p.get('q') || '';
  const s = p.get('sort') || '-date';
  input.value = q;
  sort.value = [...sort.options].some((o) => o.value === s) ? s : '-date';
  current = q;
  if (q) run(q, sort.value, false);
  else {
    fill(count, '');
    results.replaceChildren();
    facets.replaceChildren();
    more.hidden = true;
    showTagAll(0);
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = input.value.trim();
  if (!q) {
    status('Type a query; * matches every message.', 'error');
    return;
  }
  history.pushState(null, '', '/search?' + new URLSearchParams({ q, sort: sort.value }));
  fromURL();
});
sort.addEventListener('change', () => {
  if (current) form.requestSubmit();
});
more.addEventListener('click', () => run(current, sort.value, true));
facets.addEventListener('click', (ev) => {
  const a = ev.target.closest('a.facet-link');
  if (!a) return;
  ev.preventDefault();
  history.pushState(null, '', a.getAttribute('href'));
  fromURL();
});
window.addEventListener('popstate', fromURL);
fromURL();
