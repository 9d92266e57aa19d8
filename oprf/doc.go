// Package oprf is the oblivious pseudorandom function that lets a person
// check an identifier of theirs against the leak without the server seeing
// it and without the answer being testable offline: RFC 9497's OPRF mode
// with the suite ristretto255-SHA512, implemented by Cloudflare's circl,
// which only this package imports.
//
// The server holds a Key derived from the data directory's secret. For an
// identifier of kind k with normalised value v (detect.NormalizeIdentifier)
// the PRF input is Input(k, v) = k + ":" + v, and the PRF output is what
// RFC 9497's Finalize returns (64 bytes). Its first 16 bytes, in lower-case
// hex, are the identifier's lookup hash (Lookup): the store keeps the
// lookup hash of every identifier found, computed directly with the key
// (Key.Output: no blinding is needed on the server's side).
//
// A client that wants the lookup hash of an identifier without revealing
// it calls Blind, sends Request.Element to the server, which answers
// Key.Evaluate of it, and calls Request.Finalize with the answer. The
// element sent is the input hashed to the group and multiplied by a random
// scalar: it is uniformly distributed whatever the input, so it tells the
// server nothing; and without the key, neither the element nor the answer
// nor the lookup hash can be tested against guesses offline.
//
// The browser runs the client side of this package compiled to
// WebAssembly (ui/wasm).
//
// # Known divergences
//
//   - The client does not verify that the server used the right key (that
//     is the VOPRF mode): a server answering with another key makes the
//     check find nothing, which a person would notice on their own
//     identifiers; it learns nothing more by doing so.
//   - The server's Key.Evaluate takes one element at a time; the HTTP API
//     decides how many a request may hold.
package oprf
