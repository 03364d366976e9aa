package registry

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Newcomers copy certificate fields from openssl and digests from
// sha256sum; YAML and the schema then refuse them with messages that do not
// say what to write. valueHint recognises those forms and says exactly
// what to write instead, with the value converted. Records keep one form
// only (lowercase hex, ISO dates), so that every comparison stays exact.

var (
	hexDigestRe = regexp.MustCompile(`^[0-9a-f]{64}$`)
	serialRe    = regexp.MustCompile(`^[0-9a-f]{2,64}$`)
	// openssl x509 -enddate prints "notAfter=Nov  1 12:00:00 2028 GMT".
	opensslDateLayouts = []string{"Jan _2 15:04:05 2006 MST", "Jan _2 15:04:05.000 2006 MST", "Jan 2 15:04:05 2006 MST"}
)

// valueHint returns a message for a schema error on a field a newcomer
// likely copied from a tool, or "".
func valueHint(src *Source, path []string, schemaMsg string) string {
	if len(path) == 0 || src == nil {
		return ""
	}
	lit, ok := src.Scalar(path...)
	if !ok {
		return ""
	}
	field := path[len(path)-1]
	where := strings.Join(path, ".")
	if strings.HasPrefix(schemaMsg, "expected string, but got number") {
		return fmt.Sprintf("%s: YAML reads %s as a number, but it is text; quote it: %s: \"%s\"", where, lit, field, lit)
	}
	switch field {
	case "sha256":
		if v := hexOf(lit, "sha256 fingerprint=", "sha256(stdin)= "); hexDigestRe.MatchString(v) {
			return fmt.Sprintf("%s: write the SHA-256 as 64 lowercase hex digits without colons (openssl prints it with colons, in upper case): %s: %s", where, field, v)
		}
		return fmt.Sprintf("%s: a SHA-256 is 64 lowercase hex digits, e.g. from `openssl x509 -noout -fingerprint -sha256 -in cert.pem` without the colons, or `sha256sum FILE`", where)
	case "serial":
		if v := hexOf(lit, "serial="); serialRe.MatchString(v) {
			return fmt.Sprintf("%s: write the serial number as lowercase hex without colons (openssl prints it in upper case): %s: %s", where, field, v)
		}
		return fmt.Sprintf("%s: a serial number is lowercase hex, as `openssl x509 -noout -serial -in cert.pem` prints it but in lower case", where)
	case "not_after", "on", "declared_on", "issued_on", "revocation_due", "revoked_on", "applies_from":
		if d, ok := opensslDate(lit); ok {
			return fmt.Sprintf("%s: write the date as YYYY-MM-DD (UTC): %s: %s", where, field, d)
		}
		if strings.Contains(schemaMsg, "pattern") || strings.Contains(schemaMsg, "is not valid") {
			return fmt.Sprintf("%s: write the date as YYYY-MM-DD, e.g. %s: 2028-11-01", where, field)
		}
	}
	return ""
}

// hexOf strips a label openssl or sha256sum prints, colons and spaces,
// and lowers the case.
func hexOf(s string, labels ...string) string {
	s = strings.TrimSpace(s)
	low := strings.ToLower(s)
	for _, l := range labels {
		if strings.HasPrefix(low, l) {
			s = s[len(l):]
			break
		}
	}
	if i := strings.IndexByte(s, ' '); i > 0 && len(s) > 64 {
		s = s[:i] // sha256sum: "<digest>  <file>"
	}
	return strings.ToLower(strings.NewReplacer(":", "", " ", "").Replace(s))
}

// opensslDate reads a date as openssl prints it ("notAfter=Nov  1
// 12:00:00 2028 GMT") and returns its UTC day.
func opensslDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '='); i >= 0 {
		s = s[i+1:]
	}
	for _, l := range opensslDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC().Format(time.DateOnly), true
		}
	}
	return "", false
}
