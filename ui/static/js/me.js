// "My exposure": the user's own addresses in the leak, and the identifier
// check: the browser normalises the identifier, blinds it (oprf.js) and
// has the server evaluate the blinded element, which tells the server
// nothing; from the answer it computes the identifier's lookup hash,
// sends its first 5 hex characters, and looks for the whole hash among
// the entries answered. The identifier never leaves the page.
import { api, el, fill, status, showError, fmtDate, fmtNumber } from './lib.js';
import { personSummary, messageList } from './people.js';
import { normalize } from './identify.js';
import { input, blind, finalize, toBase64, fromBase64 } from './oprf.js';

const mine = document.getElementById('mine');
const form = document.getElementById('check-form');
const result = document.getElementById('check-result');
const valueInput = document.getElementById('value');

const kindNames = { ssn: 'Social Security number', credit_card: 'card number', phone: 'phone number', email: 'e-mail address' };

async function loadMine() {
  try {
    const me = await api('/me');
    const emails = (me.user && me.user.emails) || [];
    if (!emails.length) {
      fill(mine, el('p', { class: 'muted' }, 'No verified address is on your account: ask an administrator to add yours.'));
      return;
    }
    mine.replaceChildren();
    const shown = new Map(); // person address -> the address it was shown under
    for (const addr of emails) {
      const box = el('section', { class: 'card mine', dataset: { address: addr } }, el('h3', {}, addr));
      mine.append(box);
      try {
        const p = await api('/people/' + encodeURIComponent(addr));
        if (shown.has(p.address)) {
          box.append(el('p', { class: 'muted' }, 'The same person as ' + shown.get(p.address) + ' in the company directory: counted above.'));
          continue;
        }
        shown.set(p.address, addr);
        box.append(...personSummary(p));
        if (p.messages.length) box.append(await messageList(p.messages, 'Your messages'));
      } catch (e) {
        if (e.status === 404) box.append(el('p', { class: 'good' }, 'Not found in the leak.'));
        else box.append(el('p', { class: 'error' }, e.message));
      }
    }
  } catch (e) {
    showError(e);
  }
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const kind = form.kind.value;
  const n = normalize(kind, valueInput.value);
  if (n.error) {
    fill(result, el('p', { class: 'error' }, n.error));
    return;
  }
  const inp = input(kind, n.value);
  const b = blind(inp);
  fill(result, el('p', {}, 'Checking… (sent: a blinded element, then 5 characters of a keyed hash)'));
  try {
    const ev = await api('/identifiers/evaluate', { method: 'POST', body: { elements: [toBase64(b.element)] } });
    const lookup = finalize(inp, b.blind, fromBase64(ev.evaluated[0]));
    const prefix = lookup.slice(0, 5);
    const r = await api('/identifiers/lookup/' + prefix);
    const hit = r.entries.find((e) => e.hash === lookup);
    valueInput.value = '';
    if (!hit) {
      fill(result, el('p', { class: 'good found-none' }, `Your ${kindNames[kind]} was not found in the leak.`),
        el('p', { class: 'muted' }, `The server sent ${r.entries.length} candidates for prefix ${prefix}; none is yours.`));
      return;
    }
    if (!hit.messages) {
      fill(result, el('div', { class: 'alert found' },
        el('p', {}, el('strong', {}, `Your ${kindNames[kind]} is in the leak`), ', in messages that are not in your own mail (so they are not listed here).'),
        el('p', {}, 'The company\'s response team can tell you what to do next.')));
      return;
    }
    const waves = hit.batches.map((x) => x.leak + (x.batch ? ' / ' + x.batch : '')).join(', ');
    fill(result, el('div', { class: 'alert found' },
      el('p', {}, el('strong', {}, `Your ${kindNames[kind]} is in the leak`), `: in ${fmtNumber(hit.messages)} of your messages`,
        hit.first ? ` dated ${fmtDate(hit.first, true)}` + (hit.last && hit.last !== hit.first ? ` to ${fmtDate(hit.last, true)}` : '') : '', waves ? `, published in ${waves}.` : '.'),
      el('p', {}, 'It may be in other messages too, which you cannot see. The company\'s response team can tell you what to do next; your messages above show where it appears.')));
  } catch (e) {
    fill(result, el('p', { class: 'error' }, e.message + (e.retryAfter ? ' (retry in ' + e.retryAfter + ' s)' : '')));
  }
});

document.getElementById('show-value').addEventListener('change', (ev) => {
  valueInput.type = ev.target.checked ? 'text' : 'password';
});

status('');
loadMine();
