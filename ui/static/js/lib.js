// Shared helpers of every page: the API client, DOM building (text nodes
// only: mail is never parsed as HTML), dates, flags and byte-offset spans.

const csrfMeta = document.querySelector('meta[name="csrf-token"]');

// ApiError is a failed API call: the API's stable code and message.
export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

// api calls the JSON API: path below /api/v1, options as for fetch
// (body: an object, sent as JSON). A 401 sends the browser to the login
// page; other errors throw an ApiError.
export async function api(path, options = {}) {
  const init = { method: options.method || 'GET', headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (options.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (init.method !== 'GET' && csrfMeta) {
    init.headers['X-CSRF-Token'] = csrfMeta.content;
  }
  let resp;
  try {
    resp = await fetch('/api/v1' + path, init);
  } catch (e) {
    throw new ApiError(0, 'network', 'The server cannot be reached.');
  }
  if (resp.status === 204) return null;
  let data = null;
  try {
    data = await resp.json();
  } catch (e) {
    data = null;
  }
  if (resp.ok) return data;
  if (resp.status === 401 && !options.noRedirect) {
    location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
  }
  const err = (data && data.error) || {};
  throw new ApiError(resp.status, err.code || 'http_' + resp.status, err.message || resp.statusText,
    resp.headers.get('Retry-After'));
}

// el builds an element: el('a', {href: '/x', class: 'y'}, 'text', child...).
// Attributes starting with "on" are listeners. Strings become text nodes.
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  append(e, children);
  return e;
}

function append(e, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// clear empties a node and appends children to it.
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// status shows a message in the page's live region ('' clears it).
export function status(text, kind) {
  const s = document.getElementById('status');
  if (!s) return;
  s.className = kind ? 'status ' + kind : 'status';
  s.textContent = text || '';
}

// showError puts an API error in the live region, in words.
export function showError(e) {
  let text = e && e.message ? e.message : String(e);
  if (e instanceof ApiError && e.status === 429 && e.retryAfter) {
    text += ' (retry in ' + e.retryAfter + ' s)';
  }
  status(text, 'error');
}

const dateFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const dayFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

// fmtDate formats an RFC 3339 time in UTC ('' for none or the zero time).
export function fmtDate(s, dayOnly) {
  if (!s || s.startsWith('0001-')) return '';
  const d = new Date(s);
  if (isNaN(d)) return '';
  return (dayOnly ? dayFmt : dateFmt).format(d) + (dayOnly ? '' : ' UTC');
}

// fmtAddr shows an address as Name <email>, or whichever is known.
export function fmtAddr(a) {
  if (!a) return '';
  if (a.name && a.email) return a.name + ' <' + a.email + '>';
  return a.name || a.email || a.raw || '';
}

export function fmtNumber(n) {
  return (n || 0).toLocaleString();
}

// Flag categories, as the API names them, and how the UI says them.
export const flagLabels = {
  ssn: 'SSN', credit_card: 'Card', iban: 'IBAN', bank_account: 'Bank account', credential: 'Credential',
  secret_key: 'Secret key', medical: 'Medical', compensation: 'Compensation', legal_privilege: 'Privileged',
  offensive: 'Offensive', confidential: 'Confidential', date_of_birth: 'Date of birth', phone: 'Phone',
  passport: 'Passport',
};

// flagBadge is a badge for one flag category (a link to search it when
// asked).
export function flagBadge(category, severity, link) {
  const label = flagLabels[category] || category;
  const attrs = { class: 'badge flag-' + category + (severity ? ' sev-' + severity : ''), title: 'flag:' + category + (severity ? ' (' + severity + ')' : '') };
  if (link) return el('a', Object.assign({ href: '/search?q=' + encodeURIComponent('flag:' + category) }, attrs), label);
  return el('span', attrs, label);
}

// riskBadge shows a risk score (0..100) with its band.
export function riskBadge(risk) {
  const r = Math.round(risk || 0);
  const band = r >= 70 ? 'high' : r >= 40 ? 'medium' : r > 0 ? 'low' : 'none';
  return el('span', { class: 'risk risk-' + band, title: 'risk score ' + r + ' of 100' }, 'risk ' + r);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// spans cuts text at byte offsets (UTF-8, as the API gives them) into
// nodes: marked ranges become <mark> (or what wrap returns), the rest
// text. ranges: [{start, end, ...}] or [[start, end]], any order, may
// overlap.
export function spans(text, ranges, wrap) {
  const bytes = encoder.encode(text || '');
  const list = (ranges || [])
    .map((r) => (Array.isArray(r) ? { start: r[0], end: r[1] } : r))
    .filter((r) => r.start >= 0 && r.end > r.start && r.start < bytes.length)
    .sort((a, b) => a.start - b.start);
  const out = [];
  let at = 0;
  for (const r of list) {
    const start = Math.max(r.start, at);
    const end = Math.min(r.end, bytes.length);
    if (end <= start) continue;
    if (start > at) out.push(document.createTextNode(decoder.decode(bytes.subarray(at, start))));
    const piece = decoder.decode(bytes.subarray(start, end));
    out.push(wrap ? wrap(piece, r) : el('mark', {}, piece));
    at = end;
  }
  if (at < bytes.length) out.push(document.createTextNode(decoder.decode(bytes.subarray(at))));
  return out;
}

// param reads the page's path parameter (set by the server).
export function pageParam() {
  return document.body.dataset.param || '';
}

export function role() {
  return document.body.dataset.role || '';
}

// Every page but the login page has a logout button.
const logout = document.getElementById('logout');
if (logout) {
  logout.addEventListener('click', async () => {
    try {
      await api('/logout', { method: 'POST', noRedirect: true });
    } catch (e) {
      // The session may be gone already: the login page follows either way.
    }
    location.assign('/login');
  });
}
