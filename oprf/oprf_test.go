package oprf_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/leakscope/leakscope/oprf"
)

func testKey(t testing.TB, fill byte) *oprf.Key {
	t.Helper()
	k, err := oprf.NewKey(bytes.Repeat([]byte{fill}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestRoundTrip: a client's blinded, evaluated and finalized input is the
// PRF output the server computes directly; another key gives another.
func TestRoundTrip(t *testing.T) {
	k := testKey(t, 1)
	for _, in := range []string{"ssn:536221847", "email:jane.doe@example.com", ""} {
		r, err := oprf.Blind([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Element) != oprf.ElementLen || bytes.Contains(r.Element, []byte(in)) && in != "" {
			t.Errorf("Blind(%q).Element = %x, want %d bytes without the input", in, r.Element, oprf.ElementLen)
		}
		ev, err := k.Evaluate(r.Element)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Finalize(ev)
		if err != nil {
			t.Fatal(err)
		}
		want, err := k.Output([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) || len(got) != 64 {
			t.Errorf("Finalize(Evaluate(Blind(%q))) = %x, want Output = %x", in, got, want)
		}
		other, _ := testKey(t, 2).Output([]byte(in))
		if bytes.Equal(other, want) {
			t.Errorf("Output(%q) is the same under two keys", in)
		}
		if l := oprf.Lookup(want); len(l) != 2*oprf.LookupLen {
			t.Errorf("Lookup = %q, want %d hex characters", l, 2*oprf.LookupLen)
		}
	}
}

// TestBlindIsRandom: blinding one input twice sends two unrelated
// elements, so the server cannot tell two checks of one value apart.
func TestBlindIsRandom(t *testing.T) {
	a, _ := oprf.Blind([]byte("ssn:536221847"))
	b, _ := oprf.Blind([]byte("ssn:536221847"))
	if bytes.Equal(a.Element, b.Element) {
		t.Errorf("Blind gave the same element twice: %x", a.Element)
	}
}

// TestKeyIsStable: the key derived from one secret is the same every time
// (stored lookup hashes stay valid across restarts).
func TestKeyIsStable(t *testing.T) {
	a, _ := testKey(t, 7).Output([]byte("ssn:536221847"))
	b, _ := testKey(t, 7).Output([]byte("ssn:536221847"))
	if !bytes.Equal(a, b) {
		t.Errorf("two keys from one secret: %x, %x", a, b)
	}
	if _, err := oprf.NewKey(make([]byte, 16)); err == nil {
		t.Errorf("NewKey of a 16-byte secret: no error")
	}
}

// TestInvalidElements: what is not a group element, and the identity, are
// refused by the server and by the client.
func TestInvalidElements(t *testing.T) {
	k := testKey(t, 1)
	r, _ := oprf.Blind([]byte("x"))
	for name, el := range map[string][]byte{
		"empty": nil, "short": make([]byte, 31), "long": make([]byte, 33),
		"identity": make([]byte, 32), "not canonical": bytes.Repeat([]byte{0xff}, 32),
	} {
		if _, err := k.Evaluate(el); !errors.Is(err, oprf.ErrInvalidElement) {
			t.Errorf("Evaluate(%s) = %v, want ErrInvalidElement", name, err)
		}
		if _, err := r.Finalize(el); !errors.Is(err, oprf.ErrInvalidElement) {
			t.Errorf("Finalize(%s) = %v, want ErrInvalidElement", name, err)
		}
	}
}

func BenchmarkOutput(b *testing.B) {
	k := testKey(b, 1)
	b.ReportAllocs()
	for b.Loop() {
		k.Output([]byte("ssn:536221847"))
	}
}

func BenchmarkEvaluate(b *testing.B) {
	k := testKey(b, 1)
	r, _ := oprf.Blind([]byte("ssn:536221847"))
	b.ReportAllocs()
	for b.Loop() {
		k.Evaluate(r.Element)
	}
}
