// The login page: name and password, or an API token; then back to the
// page that sent the browser here.
import { api, ApiError } from './lib.js';

const form = document.getElementById('login-form');
const error = document.getElementById('login-error');

// next is where to go after logging in: a path on this server only.
function next() {
  const n = new URLSearchParams(location.search).get('next') || '/';
  return n.startsWith('/') && !n.startsWith('//') && !n.startsWith('/\\') ? n : '/';
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  error.hidden = true;
  const token = form.token.value.trim();
  const body = token ? { token } : { name: form.name.value.trim(), password: form.password.value };
  if (!token && (!body.name || !body.password)) {
    error.textContent = 'Type your name and password, or an API token.';
    error.hidden = false;
    return;
  }
  const button = document.getElementById('login-submit');
  button.disabled = true;
  try {
    await api('/login', { method: 'POST', body, noRedirect: true });
    location.assign(next());
  } catch (e) {
    error.textContent = e instanceof ApiError && e.status === 401 ? 'Wrong name, password or token.' : e.message;
    if (e instanceof ApiError && e.status === 429 && e.retryAfter) error.textContent += ' Try again in ' + e.retryAfter + ' s.';
    error.hidden = false;
    form.password.value = '';
  } finally {
    button.disabled = false;
  }
});
