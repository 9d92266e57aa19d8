// Package password decides whether a password a person chose may protect
// an account of the server: the accounts read leaked mail, so a guessable
// password is a leak of its own. It wraps zxcvbn (Dropbox's estimator, in
// the Go port github.com/trustelem/zxcvbn, which only this package
// imports): a password is matched against 30,000 common passwords, common
// names and words, keyboard patterns (qwertyuiop), repeats
// (passwordpassword), sequences, dates and l33t substitutions, and against
// the account's own name and addresses; the estimated number of guesses
// gives a score from 0 to 4.
//
// Check accepts a password of MinLength characters or more (MaxBytes at
// most) whose score is MinScore (3: "safely unguessable", about 10^8
// guesses, against an online attack and a throttled offline one) or more.
// A refusal is a *WeakError saying why, in words for the person who chose
// the password, and never quoting it.
//
// # Known divergences
//
//   - The Go port has no feedback messages; Check words its own from the
//     pattern that makes the password guessable, as zxcvbn's feedback does.
//   - zxcvbn's cost grows steeply with length (about 10 s for 1,024
//     repeated characters), so only the first EvaluatedRunes characters are
//     scored; a password whose first 100 characters are weak is refused
//     whatever follows.
package password
