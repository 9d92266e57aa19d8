package oprf

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/cloudflare/circl/oprf"
)

// Suite is the RFC 9497 cipher suite: ristretto255 with SHA-512.
const Suite = "ristretto255-SHA512"

var suite = oprf.SuiteRistretto255

// ElementLen is the length of a serialised group element: a blinded
// element a client sends, an evaluated element a server answers.
const ElementLen = 32

// LookupLen is the length of a lookup hash in bytes (twice that in hex).
const LookupLen = 16

// keyInfo is the RFC 9497 DeriveKeyPair info, and the HKDF info under
// which the key's seed is drawn from the data directory's secret.
const keyInfo = "leakscope identifier oprf v1"

// ErrInvalidElement is returned for an element that is not the encoding
// of a group element other than the identity.
var ErrInvalidElement = errors.New("not a valid ristretto255 element")

// Input is the PRF input of an identifier: its kind, ":" and its
// normalised value.
func Input(kind, value string) []byte { return []byte(kind + ":" + value) }

// Lookup returns the lookup hash of a PRF output: its first LookupLen
// bytes, in lower-case hex.
func Lookup(output []byte) string { return hex.EncodeToString(output[:LookupLen]) }

// Key is the server's OPRF key. Its methods may be called concurrently.
type Key struct {
	srv oprf.Server
}

// NewKey derives the key from secret (the data directory's identifier
// secret): a seed drawn with HKDF-SHA-256, then RFC 9497's DeriveKeyPair.
func NewKey(secret []byte) (*Key, error) {
	if len(secret) < 32 {
		return nil, fmt.Errorf("oprf key: secret of %d bytes, want 32 or more", len(secret))
	}
	seed, err := hkdf.Key(sha256.New, secret, nil, keyInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("oprf key: %w", err)
	}
	k, err := oprf.DeriveKey(suite, oprf.BaseMode, seed, []byte(keyInfo))
	if err != nil {
		return nil, fmt.Errorf("oprf key: %w", err)
	}
	return &Key{srv: oprf.NewServer(suite, k)}, nil
}

// Output returns the PRF output of input (RFC 9497 Evaluate: what a
// client finalizing a blinded input would get).
func (k *Key) Output(input []byte) ([]byte, error) {
	out, err := k.srv.FullEvaluate(input)
	if err != nil {
		return nil, fmt.Errorf("oprf evaluate: %w", err)
	}
	return out, nil
}

// Evaluate returns the key applied to a blinded element (RFC 9497
// BlindEvaluate). An element that does not decode, or is the identity, is
// an error wrapping ErrInvalidElement.
func (k *Key) Evaluate(blinded []byte) ([]byte, error) {
	e, err := decode(blinded)
	if err != nil {
		return nil, err
	}
	ev, err := k.srv.Evaluate(&oprf.EvaluationRequest{Elements: []oprf.Blinded{e}})
	if err != nil {
		return nil, fmt.Errorf("oprf evaluate: %w", err)
	}
	out, err := ev.Elements[0].MarshalBinaryCompress()
	if err != nil {
		return nil, fmt.Errorf("oprf evaluate: %w", err)
	}
	return out, nil
}

// decode reads a serialised element, refusing the identity (RFC 9497
// section 3.3.1: DeserializeElement fails on it).
func decode(b []byte) (oprf.Blinded, error) {
	if len(b) != ElementLen {
		return nil, ErrInvalidElement
	}
	e := suite.Group().NewElement()
	if err := e.UnmarshalBinary(b); err != nil || e.IsIdentity() {
		return nil, ErrInvalidElement
	}
	return e, nil
}

// Request is a client's blinded input, waiting for the server's answer.
type Request struct {
	// Element is the blinded element to send to the server.
	Element []byte
	fin     *oprf.FinalizeData
}

// Blind blinds input with a fresh random scalar (RFC 9497 Blind).
func Blind(input []byte) (*Request, error) {
	fin, req, err := oprf.NewClient(suite).Blind([][]byte{input})
	if err != nil {
		return nil, fmt.Errorf("oprf blind: %w", err)
	}
	el, err := req.Elements[0].MarshalBinaryCompress()
	if err != nil {
		return nil, fmt.Errorf("oprf blind: %w", err)
	}
	return &Request{Element: el, fin: fin}, nil
}

// Finalize unblinds the server's evaluated element and returns the PRF
// output (RFC 9497 Finalize). An element that does not decode is an error
// wrapping ErrInvalidElement.
func (r *Request) Finalize(evaluated []byte) ([]byte, error) {
	e, err := decode(evaluated)
	if err != nil {
		return nil, err
	}
	out, err := oprf.NewClient(suite).Finalize(r.fin, &oprf.Evaluation{Elements: []oprf.Evaluated{e}})
	if err != nil {
		return nil, fmt.Errorf("oprf finalize: %w", err)
	}
	return out[0], nil
}
