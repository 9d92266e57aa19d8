// The message page: headers, flags, the text with flagged spans marked
// (values already masked by the API for roles that see them redacted),
// attachments, the thread, copies and mailboxes, and how the message
// reconciles with the company's archive. Mail is shown as extracted text,
// never as HTML. Admins and counsel also see and set its review tags.
import { api, el, fill, status, showError, fmtDate, fmtAddr, fmtNumber, flagBadge, riskBadge, spans, pageParam, role, flagLabels } from './lib.js';
import { mayTag, tagBadge, tagPicker, changeTag } from './tags.js';

const id = pageParam();
const root = document.getElementById('message');
const unredactedRole = role() === 'admin' || role() === 'counsel';

function addrList(list) {
  return (list || []).map(fmtAddr).join(', ');
}

function personLinks(list) {
  const out = [];
  (list || []).forEach((a, i) => {
    if (i) out.push(', ');
    if (a.email && role() !== 'employee') out.push(el('a', { href: '/people/' + encodeURIComponent(a.email) }, fmtAddr(a)));
    else out.push(fmtAddr(a));
  });
  return out;
}

function headerRows(m) {
  const rows = [
    ['From', personLinks([m.from])],
    m.sender ? ['Sender', fmtAddr(m.sender)] : null,
    m.reply_to && m.reply_to.length ? ['Reply-To', addrList(m.reply_to)] : null,
    ['To', personLinks(m.to)],
    m.cc && m.cc.length ? ['Cc', personLinks(m.cc)] : null,
    m.bcc && m.bcc.length ? ['Bcc', personLinks(m.bcc)] : null,
    ['Date', (fmtDate(m.date) || 'unknown') + (m.date_source && m.date_source !== 'header' ? ' (from ' + m.date_source + ')' : '')],
    m.date_raw && !fmtDate(m.date) ? ['Date as written', m.date_raw] : null,
    m.message_id ? ['Message-ID', el('code', {}, m.message_id)] : null,
    ['Size', fmtNumber(m.size) + ' bytes'],
  ].filter(Boolean);
  return el('dl', { class: 'headers' }, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

// markFlags renders text with the flags found in it marked.
function markFlags(text, flags) {
  const ranges = flags.map((f) => ({ start: f.start, end: f.end, flag: f }));
  return spans(text, ranges, (piece, r) => el('mark', {
    class: 'flagged flag-' + r.flag.category + ' sev-' + r.flag.severity,
    title: (flagLabels[r.flag.category] || r.flag.category) + ', ' + r.flag.severity + ' (rule ' + r.flag.rule + ')',
    dataset: { flag: r.flag.category },
  }, piece));
}

function flagTable(flags) {
  if (!flags.length) return el('p', { class: 'muted' }, 'Nothing sensitive was found in this message.');
  return el('table', { class: 'data flags' },
    el('thead', {}, el('tr', {}, ['Category', 'Severity', 'Confidence', 'Where', 'Found'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, flags.map((f) => el('tr', {},
      el('td', {}, flagBadge(f.category, f.severity, true)),
      el('td', {}, f.severity),
      el('td', {}, Math.round(f.confidence * 100) + '%'),
      el('td', {}, f.where + (f.attachment ? ': ' + f.attachment : '')),
      el('td', {}, el('code', {}, f.snippet))))));
}

// attachmentClean says whether a redacted role may download attachment i
// as it is (the server decides; this only spares a link that would be
// refused): its text was scanned whole and nothing was flagged in it.
function attachmentClean(m, i) {
  const a = m.attachments[i];
  if (a.message || !a.has_text || a.size > (1 << 20)) return false;
  return !(m.flags || []).some((f) => (f.where === 'attachment' || f.where === 'attachment_name') && f.attachment === a.name);
}

function attachments(m) {
  const list = m.attachments || [];
  if (!list.length) return null;
  return el('section', { class: 'attachments', 'aria-labelledby': 'att-h' },
    el('h2', { id: 'att-h' }, 'Attachments'),
    el('ul', {}, list.map((a, i) => {
      const name = a.name || 'attachment ' + (i + 1);
      const href = '/api/v1/messages/' + encodeURIComponent(id) + '/attachments/' + i;
      const may = unredactedRole || attachmentClean(m, i);
      return el('li', {},
        may ? el('a', { href, download: name }, name) : el('span', {}, name),
        ' ', el('span', { class: 'muted' }, a.content_type + ', ' + fmtNumber(a.size) + ' bytes'),
        a.message ? [' ', el('a', { href: '/messages/' + encodeURIComponent(a.message) }, 'open attached message')] : null,
        may ? null : [' ', el('span', { class: 'muted' }, '(withheld: may hold values your role sees redacted)')]);
    })));
}

function attachmentTexts(text, flags) {
  const list = (text && text.attachments) || [];
  return list.map((a) => el('details', { class: 'attachment-text' },
    el('summary', {}, 'Text of ' + (a.name || 'an attachment')),
    el('pre', { class: 'text' }, markFlags(a.text, flags.filter((f) => f.where === 'attachment' && f.attachment === a.name)))));
}

function copies(list) {
  const cols = ['Leak', 'Wave', 'Mailbox', 'Folder', 'Archive member', 'Added'];
  if (unredactedRole) cols.push('Source', 'Original');
  return el('section', { 'aria-labelledby': 'copies-h' },
    el('h2', { id: 'copies-h' }, list.length === 1 ? 'Where it was found' : list.length + ' copies in the leak'),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data copies' },
      el('thead', {}, el('tr', {}, cols.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, list.map((c, i) => el('tr', {},
        el('td', {}, c.leak), el('td', {}, c.batch || ''), el('td', {}, c.custodian || ''),
        el('td', {}, c.folder || ''), el('td', {}, c.member || ''), el('td', {}, fmtDate(c.added, true)),
        unredactedRole ? [
          el('td', {}, el('code', {}, (c.source || '') + (c.offset ? ' @' + c.offset : ''))),
          el('td', {}, el('a', { href: '/api/v1/messages/' + encodeURIComponent(id) + '/raw?copy=' + (i + 1), download: id + '.eml' }, 'download .eml'),
            ' ', el('code', { title: 'SHA-256 of the original bytes' }, c.raw_sha256.slice(0, 12) + '…')),
        ] : null))))));
}

function reconciliation(data) {
  if (role() === 'employee') return null;
  const r = data.reconciliation;
  let body;
  if (r) {
    const label = r.status === 'identical' ? 'Identical to our archive' : 'Altered: differs from our archive';
    body = [
      el('p', {}, el('span', { class: 'recon recon-' + r.status }, label), ' ',
        el('span', { class: 'muted' }, '(' + r.match + ' match, score ' + r.score.toFixed(2) + ')')),
      r.diff ? el('pre', { class: 'diff' }, r.diff.split('\n').map((line) => el('span', {
        class: line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : '',
      }, line + '\n'))) : (r.status === 'altered' && !unredactedRole ? el('p', { class: 'muted' }, 'The differences quote message text; counsel and admins see them.') : null),
    ];
  } else if (data.not_in_archive) {
    body = el('p', {}, el('span', { class: 'recon recon-missing' }, 'Not in our archive'), ' ',
      el('span', { class: 'muted' }, 'From one of our domains, yet matching nothing we hold: possibly fabricated, or from a mailbox we do not archive.'));
  } else {
    body = el('p', { class: 'muted' }, 'No reconciliation: not company mail, or no reference archive loaded.');
  }
  return el('section', { class: 'reconciliation', 'aria-labelledby': 'rec-h' }, el('h2', { id: 'rec-h' }, 'Reconciliation'), body);
}

// tagSection shows the message's review tags (note, who, when), with a
// form to add one and a button to remove each: for admins and counsel.
function tagSection(tags) {
  if (!mayTag()) return null;
  const box = el('section', { id: 'tags', class: 'tags', 'aria-labelledby': 'tags-h' });
  renderTags(box, tags || []);
  return box;
}

function renderTags(box, tags) {
  const picker = tagPicker('tag-add', true);
  const form = el('form', { id: 'tag-form', class: 'inline-form wrap', 'aria-label': 'Add a tag' },
    picker.node, el('button', { type: 'submit', id: 'tag-add-submit' }, 'Add tag'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = picker.value();
    try {
      await changeTag(name, true, { ids: [id], note: picker.note() });
      await reloadTags(box);
      status('Tagged ' + name + '.');
    } catch (e) {
      showError(e);
    }
  });
  const list = tags.length ? el('ul', { class: 'tag-list' }, tags.map((t) => el('li', { dataset: { tag: t.name } },
    tagBadge(t.name),
    t.note ? el('span', { class: 'tag-note' }, t.note) : null,
    el('span', { class: 'muted' }, (t.user ? 'by ' + t.user + ', ' : '') + fmtDate(t.time)),
    el('button', { type: 'button', class: 'link remove-tag', 'aria-label': 'Remove the tag ' + t.name, onclick: () => removeTag(box, t.name) }, 'remove'))))
    : el('p', { class: 'muted' }, 'No review tags.');
  fill(box, el('h2', { id: 'tags-h' }, 'Tags'), list, form);
}

async function removeTag(box, name) {
  try {
    await changeTag(name, false, { ids: [id] });
    await reloadTags(box);
    status('Removed ' + name + '.');
  } catch (e) {
    showError(e);
  }
}

async function reloadTags(box) {
  const data = await api('/messages/' + encodeURIComponent(id));
  renderTags(box, data.tags || []);
}

async function thread(data) {
  const m = data.message;
  if (!m.thread_id || data.thread.length <= 1) return null;
  const box = el('section', { 'aria-labelledby': 'thread-h' }, el('h2', { id: 'thread-h' }, 'Thread (' + data.thread.length + ')'));
  try {
    const res = await api('/search?' + new URLSearchParams({ q: 'thread:' + m.thread_id, sort: 'date', limit: '100' }));
    box.append(el('ol', { class: 'thread' }, res.hits.map((h) => el('li', { class: h.id === id ? 'current' : '' },
      h.id === id ? el('strong', {}, h.subject || '(no subject)') : el('a', { href: '/messages/' + encodeURIComponent(h.id) }, h.subject || '(no subject)'),
      ' ', el('span', { class: 'muted' }, fmtAddr(h.from) + ', ' + fmtDate(h.date))))));
  } catch (e) {
    box.append(el('ol', { class: 'thread' }, data.thread.map((t) => el('li', {}, el('a', { href: '/messages/' + encodeURIComponent(t) }, t)))));
  }
  return box;
}

async function load() {
  status('Loading…');
  try {
    const data = await api('/messages/' + encodeURIComponent(id));
    const m = data.message;
    const flags = m.flags || [];
    document.title = (m.subject || '(no subject)') + ' · Leakscope';
    const subjectFlags = flags.filter((f) => f.where === 'subject');
    const categories = [...new Set(flags.map((f) => f.category))];
    fill(root,
      el('h1', { id: 'subject' }, subjectFlags.length ? markFlags(m.subject, subjectFlags) : (m.subject || '(no subject)')),
      el('div', { class: 'badges' }, m.risk > 0 ? riskBadge(m.risk) : null, categories.map((c) => flagBadge(c, null, true)),
        data.redacted ? el('span', { class: 'badge redacted' }, 'sensitive values redacted') : null),
      headerRows(m),
      tagSection(data.tags),
      reconciliation(data),
      el('section', { 'aria-labelledby': 'text-h' }, el('h2', { id: 'text-h' }, 'Text'),
        el('pre', { class: 'text' }, markFlags(data.text ? data.text.body : '', flags.filter((f) => f.where === 'body')))),
      attachmentTexts(data.text, flags),
      attachments(m),
      el('section', { 'aria-labelledby': 'flags-h' }, el('h2', { id: 'flags-h' }, 'Sensitive content'), flagTable(flags)),
      copies(data.copies),
      data.duplicates.length ? el('section', {}, el('h2', {}, 'Same content, other messages'),
        el('ul', {}, data.duplicates.map((d) => el('li', {}, el('a', { href: '/messages/' + encodeURIComponent(d) }, d))))) : null,
      (m.warnings || []).length ? el('section', {}, el('h2', {}, 'Ingest warnings'),
        el('ul', {}, m.warnings.map((w) => el('li', {}, el('code', {}, w.code), ' ', w.detail)))) : null);
    const t = await thread(data);
    if (t) root.append(t);
    status('');
  } catch (e) {
    if (e.status === 404) fill(root, el('h1', {}, 'Not found'), el('p', {}, 'There is no such message, or it is not one you may see.'));
    showError(e);
  } finally {
    root.removeAttribute('aria-busy');
  }
}

load();
