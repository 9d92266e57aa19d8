// Counsel's review tags in the pages: badges, the tag picker (a select of
// the built-in tags, or a name typed in) and the calls that add and remove
// tags. Only admins and counsel see tags; the API refuses them to others.
import { api, el, role } from './lib.js';

// builtinTags are the built-in tags, in the API's order.
export const builtinTags = ['responsive', 'privileged', 'hot', 'redact'];

// mayTag says whether the user's role sees and sets tags.
export function mayTag() {
  return role() === 'admin' || role() === 'counsel';
}

// tagBadge is a badge for a tag, linking to its search.
export function tagBadge(name) {
  return el('a', { class: 'badge tag tag-' + name, href: '/search?q=' + encodeURIComponent('tag:' + name), title: 'tag:' + name, dataset: { tag: name } }, name);
}

// tagPicker builds the fields naming a tag and a note, with ids from
// prefix (PREFIX-name, PREFIX-custom, PREFIX-note). Its value() is the
// tag name typed in, else the one selected.
export function tagPicker(prefix, withNote) {
  const select = el('select', { id: prefix + '-name', name: 'tag' }, builtinTags.map((t) => el('option', { value: t }, t)));
  const custom = el('input', { id: prefix + '-custom', name: 'custom', type: 'text', maxlength: '64', pattern: '[A-Za-z0-9][A-Za-z0-9_\\-]{0,63}', placeholder: 'custom tag', autocomplete: 'off', spellcheck: 'false' });
  const note = withNote ? el('input', { id: prefix + '-note', name: 'note', type: 'text', maxlength: '2000', placeholder: 'why (optional)', autocomplete: 'off' }) : null;
  const node = [
    el('label', { for: prefix + '-name' }, 'Tag'), select,
    el('label', { for: prefix + '-custom' }, 'or a custom tag'), custom,
    withNote ? [el('label', { for: prefix + '-note' }, 'Note'), note] : null,
  ];
  return {
    node,
    value: () => custom.value.trim().toLowerCase() || select.value,
    note: () => (note ? note.value.trim() : ''),
    reset: () => {
      custom.value = '';
      if (note) note.value = '';
    },
  };
}

// changeTag adds (add) or removes a tag on the messages body names
// ({ids: [...]} or {query: '...'}, and a note for add). It answers
// {tag, matched, changed}.
export function changeTag(name, add, body) {
  return api('/tags/' + encodeURIComponent(name) + '/' + (add ? 'add' : 'remove'), { method: 'POST', body });
}
