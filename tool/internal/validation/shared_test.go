package validation

import (
	"strings"
	"testing"

	"golang.org/x/net/idna"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/synth"
)

// Two records that share a server certificate or a host are both named,
// within an operator and across operators, whatever the host's case or
// trailing dot; a withdrawn DRIMbox frees its host, not its certificate.
func TestSharedCertificatesAndHosts(t *testing.T) {
	const (
		b1 = "operators/operateur-001/drimboxes/1.yaml"
		b2 = "operators/operateur-002/drimboxes/2.yaml"
		b4 = "operators/operateur-002/drimboxes/4.yaml"
	)
	server := func(id string) string { return "sha256: " + synth.Digest("server-"+id) }
	unicodeHost := "db-1.gw.opérateur-001.example"
	aLabel, err := idna.Lookup.ToASCII(unicodeHost)
	if err != nil || aLabel == unicodeHost {
		t.Fatalf("no A-label for %s: %q, %v", unicodeHost, aLabel, err)
	}
	type want struct{ path, rule, says string }
	tests := []struct {
		name   string
		mutate func(t *testing.T, dir string)
		want   []want
		not    []want
	}{
		{"a certificate within an operator", func(t *testing.T, dir string) {
			edit(t, dir, b4, server("4"), server("2"))
		}, []want{
			{b4, "CERT-UNIQUE", "also the server certificate of DRIMbox 2 (registry/" + b2 + ")"},
			{b2, "CERT-UNIQUE", "also the server certificate of DRIMbox 4 (registry/" + b4 + ")"},
		}, nil},
		{"a certificate across operators", func(t *testing.T, dir string) {
			edit(t, dir, b4, server("4"), server("1"))
		}, []want{
			{b4, "CERT-UNIQUE", "DRIMbox 1 (registry/" + b1 + ")"},
			{b1, "CERT-UNIQUE", "DRIMbox 4 (registry/" + b4 + ")"},
		}, nil},
		{"a db host as another's vi host", func(t *testing.T, dir string) {
			edit(t, dir, b4, "vi: vi-4.gw.operateur-002.example", "vi: db-1.gw.operateur-001.example")
		}, []want{
			{b4, "ENDPOINT-UNIQUE", "host db-1.gw.operateur-001.example is also endpoints.db of DRIMbox 1 (registry/" + b1 + ")"},
			{b1, "ENDPOINT-UNIQUE", "host db-1.gw.operateur-001.example is also endpoints.vi of DRIMbox 4 (registry/" + b4 + ")"},
		}, nil},
		{"a host in capitals with a trailing dot", func(t *testing.T, dir string) {
			edit(t, dir, b4, "db: db-4.gw.operateur-002.example", "db: DB-1.Gw.Operateur-001.EXAMPLE.")
		}, []want{
			{b4, "ENDPOINT-UNIQUE", "host DB-1.Gw.Operateur-001.EXAMPLE. is also endpoints.db of DRIMbox 1"},
			{b1, "ENDPOINT-UNIQUE", "is also endpoints.db of DRIMbox 4"},
		}, nil},
		{"a host as U-label and A-label", func(t *testing.T, dir string) {
			edit(t, dir, b1, "db: db-1.gw.operateur-001.example", "db: "+aLabel)
			edit(t, dir, b4, "db: db-4.gw.operateur-002.example", "db: "+unicodeHost)
		}, []want{
			{b4, "ENDPOINT-UNIQUE", "host " + unicodeHost + " is also endpoints.db of DRIMbox 1"},
			{b1, "ENDPOINT-UNIQUE", "host " + aLabel + " is also endpoints.db of DRIMbox 4"},
		}, nil},
		{"a withdrawn DRIMbox's host and certificate", func(t *testing.T, dir string) {
			edit(t, dir, b4, "status: operational", "status: withdrawn\nwithdrawal: {on: 2026-01-05, reason: remplacé par la DRIMbox 1}")
			edit(t, dir, b4, "db: db-4.gw.operateur-002.example", "db: db-1.gw.operateur-001.example")
			edit(t, dir, b4, server("4"), server("1"))
		}, []want{
			{b4, "CERT-UNIQUE", "DRIMbox 1"},
			{b1, "CERT-UNIQUE", "DRIMbox 4"},
		}, []want{{b1, "ENDPOINT-UNIQUE", ""}, {b4, "ENDPOINT-UNIQUE", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sample(t)
			tt.mutate(t, dir)
			fs := check(t, dir)
			has := func(w want) bool {
				for _, f := range fs {
					if f.Path == "registry/"+w.path && f.Rule == w.rule && strings.Contains(f.Msg, w.says) {
						return true
					}
				}
				return false
			}
			for _, w := range tt.want {
				if !has(w) {
					t.Errorf("no %s on %s saying %q in:\n%s", w.rule, w.path, w.says, list(fs))
				}
			}
			for _, w := range tt.not {
				if has(w) {
					t.Errorf("%s on %s, which it should not have:\n%s", w.rule, w.path, list(fs))
				}
			}
		})
	}
}

func list(fs []registry.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String() + "\n")
	}
	return b.String()
}
