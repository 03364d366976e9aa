package validation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

func TestHandover(t *testing.T) {
	b1 := "operators/operateur-001/drimboxes/1.yaml"
	former := "former: {dn: \"CN=db1.test.mesimagesmedicales.fr,OU=310000000000001,O=CENTRE IMAGERIE FICTIF 1,ST=Gironde (33),C=FR\", sha256: abcc4a8112e912f59caea6d6afe99108d96e9e23bcf4f03dcc634c016a1eb31e, serial: baf151a69d6901f7af7af0220168330e, support_contact: support@operateur-001.example, db: db-1.gw.operateur-001.example, vi: vi-1.gw.operateur-001.example}"
	load := func(t *testing.T, edits ...[2]string) *registry.Registry {
		dir := sample(t)
		p := filepath.Join(dir, b1)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b) + "switches:\n  - {from: operateur-002, to: operateur-001, on: 2026-11-01, revocation_due: 2026-11-16, " + former + "}\n"
		for _, e := range edits {
			if !strings.Contains(s, e[0]) {
				t.Fatalf("record lacks %q", e[0])
			}
			s = strings.ReplaceAll(s, e[0], e[1])
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		r, fs, err := registry.LoadAs(dir, "registry")
		if err != nil {
			t.Fatal(err)
		}
		if fs = append(fs, Check(r)...); len(fs) > 0 {
			t.Fatalf("findings: %v", fs)
		}
		return r
	}
	before := time.Date(2026, 11, 16, 23, 0, 0, 0, time.UTC)
	after := time.Date(2026, 11, 17, 0, 30, 0, 0, time.UTC)
	r := load(t)
	if fs := Handover(r, before, nil); len(fs) > 0 {
		t.Fatalf("findings before the deadline: %v", fs)
	}
	fs := Handover(r, after, nil)
	if len(fs) != 1 || !strings.HasPrefix(fs[0].String(), "registry/"+b1+":12:9: SWITCH-HANDOVER: DRIMbox 1 passed from operateur-002 to operateur-001 on 2026-11-01 and the revocation deadline 2026-11-16 is past, but it still has the server certificate's DN, its SHA-256, its serial, the support contact, endpoints.db, endpoints.vi of operateur-002") {
		t.Fatalf("after the deadline: %v", fs)
	}
	if fs := Handover(r, after, func(d *registry.DRIMbox) bool { return d.Identifiant != 1 }); len(fs) > 0 {
		t.Fatalf("a DRIMbox left out still reported: %v", fs)
	}
	r = load(t, [2]string{"serial: baf151a69d6901f7af7af0220168330e\n", "serial: 0badc0de\n"})
	if fs := Handover(r, after, nil); len(fs) != 1 || !strings.Contains(fs[0].Msg, "still has the server certificate's DN, its SHA-256, the support contact") {
		t.Fatalf("a new serial alone: %v", fs)
	}
	r = load(t,
		[2]string{"dn: \"CN=db1.test.mesimagesmedicales.fr,OU=310000000000001,O=CENTRE IMAGERIE FICTIF 1,ST=Gironde (33),C=FR\"\n", "dn: \"CN=db1.test.mesimagesmedicales.fr,OU=320000000000002,O=NOUVEL EXPLOITANT FICTIF,ST=Gironde (33),C=FR\"\n"},
		[2]string{"sha256: abcc4a8112e912f59caea6d6afe99108d96e9e23bcf4f03dcc634c016a1eb31e\n", "sha256: " + strings.Repeat("a1", 32) + "\n"},
		[2]string{"serial: baf151a69d6901f7af7af0220168330e\n", "serial: 0badc0de\n"},
		[2]string{"support_contact: support@operateur-001.example\n", "support_contact: aide@nouvel-exploitant.example\n"},
		[2]string{"db: db-1.gw.operateur-001.example\n", "db: db-1.nouvel-exploitant.example\n"},
		[2]string{"vi: vi-1.gw.operateur-001.example\n", "vi: vi-1.nouvel-exploitant.example\n"})
	if fs := Handover(r, after, nil); len(fs) > 0 {
		t.Fatalf("everything replaced: %v", fs)
	}
}

func TestRevokedBeforeSwitch(t *testing.T) {
	dir := sample(t)
	b1 := "operators/operateur-001/drimboxes/1.yaml"
	p := filepath.Join(dir, b1)
	b, _ := os.ReadFile(p)
	b = append(b, "switches:\n  - {from: operateur-002, to: operateur-001, on: 2026-11-01, revocation_due: 2026-11-16, revoked_on: 2026-10-30}\n"...)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range check(t, dir) {
		if strings.HasPrefix(f.String(), "registry/"+b1+":") && f.Rule == "SWITCH" && strings.Contains(f.Msg, "revoked_on 2026-10-30 is before the switch on 2026-11-01") {
			return
		}
	}
	t.Fatal("revoked_on before the switch passes")
}
