package password_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/password"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name, password string
		inputs         []string
		say            string // "" accepted; else part of the refusal
	}{
		{"repeated word", "passwordpassword", nil, "repeated words"},
		{"common and short", "Password123", nil, "too short"},
		{"keyboard row, short", "qwertyuiop", nil, "too short"},
		{"common, long enough", "Password123456", nil, "common password"},
		{"keyboard rows", "qwertyuiopasdf", nil, "easy to guess"},
		{"l33t", "P@ssw0rd12345", nil, "substitutions"},
		{"digits", "123456789012", nil, "easy to guess"},
		{"own address", "jane.doe12345", []string{"jane", "Jane.Doe@example.com"}, "name or address"},
		{"same without the address", "jane.doe12345", nil, ""},
		{"words", "correct horse battery", nil, ""},
		{"random", "zq3v-8mxk-p2rw-7fhd", nil, ""},
		{"unicode", "ünïcödé wörds 𝄞 ok", nil, ""},
		{"invalid utf-8", "abc\xffdefghijklmn", nil, "UTF-8"},
		{"too long", strings.Repeat("x9Q!", 257), nil, "too long"},
	} {
		err := password.Check(tc.password, tc.inputs...)
		if tc.say == "" {
			if err != nil {
				t.Errorf("%s: Check(%q) = %v, want nil", tc.name, tc.password, err)
			}
			continue
		}
		var weak *password.WeakError
		if !errors.As(err, &weak) || !errors.Is(err, leakscope.ErrInvalidInput) || !strings.Contains(err.Error(), tc.say) {
			t.Errorf("%s: Check(%q) = %v, want a WeakError saying %q", tc.name, tc.password, err, tc.say)
			continue
		}
		if len(tc.password) >= 4 && strings.Contains(err.Error(), tc.password) {
			t.Errorf("%s: Check(%q) = %v: the error quotes the password", tc.name, tc.password, err)
		}
	}
}

// TestCheckLongIsQuick: zxcvbn scores only the first characters, so that
// a long password cannot hold up the server.
func TestCheckLongIsQuick(t *testing.T) {
	start := time.Now()
	err := password.Check(strings.Repeat("a", password.MaxBytes))
	if err == nil || !strings.Contains(err.Error(), "repeated") {
		t.Errorf("Check(1,024 a's) = %v, want a refusal for repeats", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Check(1,024 a's) took %v", d)
	}
}
