// The browser's side of the self-check's oblivious PRF: RFC 9497, OPRF
// mode, suite ristretto255-SHA512, as package oprf does it in Go (a
// browser test checks the two agree). The implementation is
// @noble/curves' (audited; vendored by scripts/vendor-noble, unchanged but
// for its import paths).
//
// The input is kind + ":" + the normalised value; blind() multiplies its
// hash to the group by a random scalar, so the element sent to the server
// says nothing of it; finalize() removes the scalar from the server's
// answer and hashes the input with it into the PRF output, whose first 16
// bytes in hex are the identifier's lookup hash.
import { ristretto255_oprf } from './vendor/noble-curves/ed25519.js';

const oprf = ristretto255_oprf.oprf;

// lookupBytes is the length of a lookup hash in bytes.
const lookupBytes = 16;

// input returns the PRF input of an identifier.
export function input(kind, normalised) {
  return new TextEncoder().encode(kind + ':' + normalised);
}

// blind returns {blind, element}: the secret scalar to keep, and the
// blinded element to send, both Uint8Array.
export function blind(inp) {
  const b = oprf.blind(inp);
  return { blind: b.blind, element: b.blinded };
}

// finalize returns the lookup hash (32 hex characters) of inp from the
// server's evaluated element. It throws on an element that is not one.
export function finalize(inp, blindScalar, evaluated) {
  const out = oprf.finalize(inp, blindScalar, evaluated);
  return Array.from(out.slice(0, lookupBytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

// toBase64 and fromBase64 convert bytes for the JSON API (standard
// alphabet, padded, as Go's encoding/json writes []byte).
export function toBase64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

export function fromBase64(s) {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}
