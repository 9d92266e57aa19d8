// One person's exposure: counts, sensitive categories, first and last
// dates, and their messages.
import { api, el, fill, status, showError, pageParam } from './lib.js';
import { personSummary, messageList } from './people.js';

const address = pageParam();
const root = document.getElementById('person');

async function load() {
  status('Loading…');
  try {
    const p = await api('/people/' + encodeURIComponent(address));
    document.title = (p.name || p.address) + ' · Leakscope';
    fill(root, el('h1', { id: 'person-name' }, p.name || p.address, p.vip ? el('span', { class: 'badge vip' }, 'VIP') : null), personSummary(p));
    root.append(await messageList(p.messages, 'Their messages'));
    status('');
  } catch (e) {
    if (e.status === 404) fill(root, el('h1', {}, 'Not found'), el('p', {}, 'No one with this address is in the leak, or it is not one you may see.'));
    showError(e);
  } finally {
    root.removeAttribute('aria-busy');
  }
}

load();
