package whitelist

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"

	"github.com/drim-m/trust-space/tool/internal/atomicfile"
	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Placeholders written where a list does not say what a record needs.
const (
	placeholderHost  = "a-completer.invalid"
	placeholderSIREN = "000000000"
)

// ImportOptions say where and how to write the records.
type ImportOptions struct {
	// Dir is the registry folder; it must hold trust-space.yaml.
	Dir string
	// Maintainer is the GitHub login set as maintainer of new operators
	// until the operator names its own.
	Maintainer string
	// Funding is the funding of the imported DRIMboxes ("segur" or
	// "hors-segur").
	Funding string
}

// ImportReport says what Import wrote and what is left to complete.
type ImportReport struct {
	Operators []string // operator folders created
	DRIMboxes []int    // DRIMbox records created
	Unchanged []int    // entries already in the registry, identical
	Files     []string // files written, relative to the registry folder
}

// Import turns the entries of a list into registry records: one operator
// per Denomination not already in the registry, one operational DRIMbox per
// entry. It refuses a list of another zone and an entry whose DRIMbox exists
// with other published fields, and writes nothing unless it can write
// everything. Building the list of the resulting registry gives the same
// entries, but for DateMAJ, which the git history then provides.
//
// Facts the list does not carry (endpoints, the operator's SIREN, the
// dossier) get placeholders that drimm validate reports.
func Import(l *List, opts ImportOptions) (*ImportReport, error) {
	reg, _, err := registry.Load(opts.Dir)
	if err != nil {
		return nil, err
	}
	zone := reg.TrustSpace.Zone
	if zone == "" {
		return nil, fmt.Errorf("%s has no trust-space.yaml with a zone", opts.Dir)
	}
	if opts.Maintainer == "" {
		return nil, fmt.Errorf("a maintainer login for the new operators is needed")
	}
	if opts.Funding == "" {
		opts.Funding = registry.FundingSegur
	}
	byName := map[string]string{}
	for id, op := range reg.Operators {
		byName[strings.ToLower(op.Denomination)] = id
	}
	current := map[int]Domain{}
	if es, err := Entries(reg); err == nil {
		for _, e := range es {
			current[e.ID] = e
		}
	}
	report := &ImportReport{}
	files := map[string][]byte{}
	for _, d := range l.Domains {
		if want := "db" + strconv.Itoa(d.ID) + "." + zone; d.DB != want {
			return nil, fmt.Errorf("entry %d has db %s, but the registry's zone is %s (expected %s)", d.ID, d.DB, zone, want)
		}
		if existing := reg.DRIMbox(d.ID); existing != nil {
			e, ok := current[d.ID]
			d.Updated = e.Updated
			if !ok || e != d {
				return nil, fmt.Errorf("DRIMbox %d already has a record (%s) that publishes other fields; change that record instead", d.ID, registry.DRIMboxPath(existing.Operator, d.ID))
			}
			report.Unchanged = append(report.Unchanged, d.ID)
			continue
		}
		opID, ok := byName[strings.ToLower(d.Denomination)]
		if !ok {
			opID = uniqueSlug(slug(d.Denomination), reg, files)
			byName[strings.ToLower(d.Denomination)] = opID
			data, err := operatorYAML(opID, d, opts.Maintainer)
			if err != nil {
				return nil, err
			}
			files[registry.OperatorPath(opID)] = data
			report.Operators = append(report.Operators, opID)
		}
		data, err := drimboxYAML(opID, d, opts.Funding)
		if err != nil {
			return nil, err
		}
		files[registry.DRIMboxPath(opID, d.ID)] = data
		report.DRIMboxes = append(report.DRIMboxes, d.ID)
	}
	if err := writeAll(opts.Dir, files, report); err != nil {
		return nil, err
	}
	return report, nil
}

// writeAll creates every file or none.
func writeAll(dir string, files map[string][]byte, report *ImportReport) error {
	for rel := range files {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(rel))); err == nil {
			return fmt.Errorf("%s already exists; import writes new records only", rel)
		}
	}
	var written []string
	for _, rel := range sortedKeys(files) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := atomicfile.Create(p, files[rel], 0o644); err != nil {
			for _, w := range written {
				os.Remove(w)
			}
			return err
		}
		written = append(written, p)
		report.Files = append(report.Files, rel)
	}
	return nil
}

func operatorYAML(id string, d Domain, maintainer string) ([]byte, error) {
	rec := struct {
		ID           string   `yaml:"id"`
		Denomination string   `yaml:"denomination"`
		SIREN        string   `yaml:"siren"`
		Maintainers  []string `yaml:"maintainers"`
		Contacts     struct {
			Support  string `yaml:"support"`
			Security string `yaml:"security"`
		} `yaml:"contacts"`
	}{ID: id, Denomination: d.Denomination, SIREN: placeholderSIREN, Maintainers: []string{maintainer}}
	rec.Contacts.Support, rec.Contacts.Security = d.SupportContact, d.SupportContact
	return withHeader("# Opérateur imported from the Liste Blanche. To complete: siren, maintainers, contacts.security.\n", rec)
}

func drimboxYAML(op string, d Domain, funding string) ([]byte, error) {
	type endpoints struct {
		DB string `yaml:"db"`
		VI string `yaml:"vi,omitempty"`
	}
	type server struct {
		DN string `yaml:"dn"`
	}
	rec := struct {
		Identifiant    int       `yaml:"identifiant"`
		Operator       string    `yaml:"operator"`
		Status         string    `yaml:"status"`
		Funding        string    `yaml:"funding"`
		DeclaredOn     string    `yaml:"declared_on"`
		SupportContact string    `yaml:"support_contact"`
		Endpoints      endpoints `yaml:"endpoints"`
		Certificates   struct {
			Server server `yaml:"server"`
		} `yaml:"certificates"`
		PACS    []struct{} `yaml:"pacs"`
		Dossier struct{}   `yaml:"dossier"`
	}{
		Identifiant: d.ID, Operator: op, Status: string(registry.StatusOperational), Funding: funding,
		DeclaredOn: d.Updated.Format("2006-01-02"), SupportContact: d.SupportContact,
		Endpoints: endpoints{DB: "db" + strconv.Itoa(d.ID) + "." + placeholderHost},
		PACS:      []struct{}{},
	}
	if d.VI != "" {
		rec.Endpoints.VI = "vi" + strconv.Itoa(d.ID) + "." + placeholderHost
	}
	rec.Certificates.Server.DN = d.CertDN
	header := fmt.Sprintf("# DRIMbox imported from the Liste Blanche (DateMAJ %s).\n# To complete: endpoints, certificate fingerprints, pacs, dossier.\n", FormatTime(d.Updated))
	return withHeader(header, rec)
}

func withHeader(header string, rec any) ([]byte, error) {
	body, err := yaml.Marshal(rec)
	if err != nil {
		return nil, err
	}
	return append([]byte(header), body...), nil
}

// slug makes an operator folder name from a Denomination: lowercase ASCII
// letters and digits, runs of anything else as one hyphen.
func slug(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range foldAccents(strings.ToLower(name)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			hyphen = false
		case !hyphen && b.Len() > 0:
			b.WriteByte('-')
			hyphen = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 36 {
		s = strings.Trim(s[:36], "-")
	}
	if s == "" {
		s = "operateur"
	}
	return s
}

// foldAccents spells a name in ASCII letters where it can: accents are
// taken off the canonical decomposition, and the two ligatures of French,
// which Unicode does not decompose, are spelled out.
func foldAccents(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func uniqueSlug(base string, reg *registry.Registry, files map[string][]byte) string {
	s := base
	for n := 2; ; n++ {
		if _, taken := reg.Operators[s]; !taken {
			if _, planned := files[registry.OperatorPath(s)]; !planned {
				return s
			}
		}
		s = base + "-" + strconv.Itoa(n)
	}
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
