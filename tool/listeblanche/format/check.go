package format

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/listeblanche/xmltext"
)

// Check tells whether the list holds what format 1.0.0 allows: the expected
// namespace (when not empty), versionFormat 1.0.0, a generation time, and
// entries with unique positive Identifiants, national names that match them,
// and every field filled but vi.
func (l *List) Check(namespace string) error {
	if err := l.checkHead(namespace); err != nil {
		return err
	}
	seen := make(map[int]bool, len(l.Domains))
	for i := range l.Domains {
		if err := l.Domains[i].checkIn(seen); err != nil {
			return err
		}
	}
	return nil
}

// checkHead checks what Check checks outside the entries.
func (l *List) checkHead(namespace string) error {
	if namespace != "" && l.Namespace != namespace {
		return fmt.Errorf("%w: namespace %q, expected %q", ErrFormat, l.Namespace, namespace)
	}
	if l.Namespace == "" {
		return fmt.Errorf("%w: the root element has no namespace", ErrFormat)
	}
	if l.VersionFormat != VersionFormat {
		return fmt.Errorf("%w: versionFormat %q, expected %q", ErrFormat, l.VersionFormat, VersionFormat)
	}
	if l.Generated.IsZero() {
		return fmt.Errorf("%w: no DateDeGeneration", ErrFormat)
	}
	return nil
}

// checkIn checks an entry as Check does, seen holding the Identifiants of
// the entries before it.
func (d *Domain) checkIn(seen map[int]bool) error {
	if err := d.check(); err != nil {
		return fmt.Errorf("%w: Identifiant %d: %v", ErrFormat, d.ID, err)
	}
	if seen[d.ID] {
		return fmt.Errorf("%w: Identifiant %d appears twice", ErrFormat, d.ID)
	}
	seen[d.ID] = true
	return nil
}

func (d *Domain) check() error {
	if d.ID <= 0 {
		return fmt.Errorf("the Identifiant must be a positive integer")
	}
	var buf [24]byte
	id := strconv.AppendInt(buf[:0], int64(d.ID), 10)
	if !hasLabel(d.DB, "db", id) || !isHostname(d.DB) {
		return fmt.Errorf("db %q is not db%d.<zone>", d.DB, d.ID)
	}
	if d.VI != "" && (!hasLabel(d.VI, "vi", id) || !isHostname(d.VI)) {
		return fmt.Errorf("vi %q is neither empty nor vi%d.<zone>", d.VI, d.ID)
	}
	for _, f := range []struct{ name, value string }{
		{"Denomination", d.Denomination},
		{"DNCertificatOperateur", d.CertDN},
		{"SupportContact", d.SupportContact},
	} {
		if msg := xmltext.Problem(f.value, 0); msg != "" {
			return fmt.Errorf("%s: %s", f.name, msg)
		}
	}
	if d.Updated.IsZero() {
		return fmt.Errorf("no DateMAJ")
	}
	return nil
}

// hasLabel tells whether name starts with kind, then id, then a dot, as
// strings.HasPrefix(name, kind+id+".") would, without building the prefix
// for each of ten thousand entries.
func hasLabel(name, kind string, id []byte) bool {
	n := len(kind) + len(id)
	return len(name) > n && name[:len(kind)] == kind && name[len(kind):n] == string(id) && name[n] == '.'
}

// isHostname accepts lowercase DNS names of letters, digits and hyphens.
func isHostname(s string) bool {
	if len(s) > 253 || s == "" {
		return false
	}
	for len(s) > 0 {
		label := s
		if i := strings.IndexByte(s, '.'); i >= 0 {
			label, s = s[:i], s[i+1:]
			if s == "" {
				// A trailing dot ends in an empty label.
				return false
			}
		} else {
			s = ""
		}
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
