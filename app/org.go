package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/exposure"
	"github.com/leakscope/leakscope/store"
)

// Settings of the organisation (store.Setting).
const (
	settingDomains = "org_domains" // company domains, one per line
	settingCounsel = "counsel"     // counsel addresses and domains, one per line
	settingPeople  = "people"      // JSON []exposure.Person
)

// Org is the company whose mail leaked, as `leakscope org` keeps it (and
// `org --json` prints it): its mail domains, counsel and people
// directory. Reconciliation and the reports attribute leaked mail to
// people through it.
type Org struct {
	Domains []string          `json:"domains"`
	Counsel []string          `json:"counsel"`
	People  []exposure.Person `json:"people"`
}

// Org reads the organisation settings; what was never set is empty.
func (a *App) Org(ctx context.Context) (Org, error) {
	return loadOrg(ctx, a.Store)
}

func loadOrg(ctx context.Context, st *store.DB) (Org, error) {
	o := Org{Domains: []string{}, Counsel: []string{}, People: []exposure.Person{}}
	for _, s := range []struct {
		name string
		to   *[]string
	}{{settingDomains, &o.Domains}, {settingCounsel, &o.Counsel}} {
		v, err := st.Setting(ctx, s.name)
		if err != nil {
			return o, err
		}
		*s.to = append(*s.to, strings.Fields(string(v))...)
	}
	v, err := st.Setting(ctx, settingPeople)
	if err != nil {
		return o, err
	}
	if len(v) > 0 {
		if err := json.Unmarshal(v, &o.People); err != nil {
			return o, fmt.Errorf("people directory in the store: %w", err)
		}
	}
	return o, nil
}

// SetDomains replaces the company's mail domains (lower-case, without
// "@"; subdomains are included when matching).
func (a *App) SetDomains(ctx context.Context, domains []string) error {
	return a.Store.PutSetting(ctx, settingDomains, []byte(strings.Join(domains, "\n")))
}

// SetCounsel replaces counsel's addresses and domains. Stored mail keeps
// its legal_privilege flags until it is detected again (redetect).
func (a *App) SetCounsel(ctx context.Context, counsel []string) error {
	return a.Store.PutSetting(ctx, settingCounsel, []byte(strings.Join(counsel, "\n")))
}

// SetPeople replaces the people directory.
func (a *App) SetPeople(ctx context.Context, people []exposure.Person) error {
	data, err := json.Marshal(people)
	if err != nil {
		return err
	}
	return a.Store.PutSetting(ctx, settingPeople, data)
}

// ReadPeople reads a directory file, vCard by extension or content, CSV
// otherwise. Errors name the file; entries read despite bad lines are
// returned with the error (wrapping leakscope.ErrInvalidInput).
func ReadPeople(path string) ([]exposure.Person, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("people directory: %v: %w", err, leakscope.ErrInvalidInput)
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := f.Read(head)
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	ext := strings.ToLower(filepath.Ext(path))
	var list []exposure.Person
	if ext == ".vcf" || ext == ".vcard" || strings.HasPrefix(strings.ToUpper(strings.TrimSpace(string(head[:n]))), "BEGIN:VCARD") {
		list, err = exposure.ReadVCards(f)
	} else {
		list, err = exposure.ReadPeopleCSV(f)
	}
	if err != nil {
		err = fmt.Errorf("%s: %w", path, err)
		if len(list) == 0 && !errors.Is(err, leakscope.ErrInvalidInput) {
			return nil, err
		}
	}
	return list, err
}
