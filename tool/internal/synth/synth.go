// Package synth writes synthetic registries: N fictional operators and M
// DRIMboxes with complete dossiers, for tests, benchmarks and demos. Every
// name it writes is fictional and every contact a functional mailbox.
package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Options shape a synthetic registry.
type Options struct {
	Operators int
	DRIMboxes int
	Zone      string
	// Conditions is the catalogue the dossiers answer; ConditionsYAML is
	// written as conditions.yaml.
	Conditions     []registry.Condition
	ConditionsYAML []byte
	// Status gives the status of the i-th DRIMbox (0-based); nil means
	// every DRIMbox is operational.
	Status func(i int) registry.Status
}

// Write creates a registry folder at dir.
func Write(dir string, o Options) error {
	if o.Zone == "" {
		o.Zone = "test.mesimagesmedicales.fr"
	}
	if o.Operators < 1 {
		o.Operators = 1
	}
	if err := writeFile(filepath.Join(dir, "trust-space.yaml"), []byte(TrustSpace(o.Zone))); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "conditions.yaml"), o.ConditionsYAML); err != nil {
		return err
	}
	for i := range o.Operators {
		op := OperatorID(i)
		if err := writeFile(filepath.Join(dir, "operators", op, "operator.yaml"), []byte(Operator(i))); err != nil {
			return err
		}
	}
	for i := range o.DRIMboxes {
		st := registry.StatusOperational
		if o.Status != nil {
			st = o.Status(i)
		}
		id := i + 1
		op := OperatorID(i % o.Operators)
		rec := DRIMbox(DRIMboxSpec{Identifiant: id, Operator: op, Status: st, Zone: o.Zone, Conditions: o.Conditions, Seq: i})
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(registry.DRIMboxPath(op, id))), []byte(rec)); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// OperatorID is the folder name of the i-th synthetic operator.
func OperatorID(i int) string { return fmt.Sprintf("operateur-%03d", i+1) }

// TrustSpace returns a trust-space.yaml for a zone.
func TrustSpace(zone string) string {
	return fmt.Sprintf(`zone: %[1]s
reviewers:
  team: "@ans-drim-m/reviewers"
  logins: [ans-reviewer-alpha, ans-reviewer-beta]
whitelist:
  namespace: https://github.com/ansforge/DRIM-M_DATA
  version_format: "1.0.0"
  validity: 24h
  max_age: 72h
signer:
  cn: Liste Blanche DRIM-M
  ou: "318751275100020"
  o: AGENCE DU NUMERIQUE EN SANTE
dns:
  ttl: 3600
  primary: ns1.%[1]s.
  hostmaster: hostmaster.%[1]s.
  nameservers: [ns1.%[1]s., ns2.%[1]s.]
  refresh: 3600
  retry: 900
  expire: 1209600
  minimum: 300
probe:
  interval: 5m
  timeout: 10s
  concurrency: 256
  slow_threshold: 2s
  expiry_warning_days: 30
switch_revocation_days: 15
`, zone)
}

// Operator returns the operator.yaml of the i-th synthetic operator.
func Operator(i int) string {
	id := OperatorID(i)
	return fmt.Sprintf(`id: %[1]s
denomination: OPERATEUR FICTIF %03[2]d
siren: "%[3]s"
maintainers: [%[1]s-bot]
contacts:
  support: support@%[1]s.example
  security: securite@%[1]s.example
`, id, i+1, SIREN(100000000+i*7))
}

// SIREN returns a 9-digit number with a valid Luhn check digit, built from seed.
func SIREN(seed int) string {
	base := fmt.Sprintf("%08d", seed%100000000)
	for d := '0'; d <= '9'; d++ {
		s := base + string(d)
		if luhnOK(s) {
			return s
		}
	}
	return base + "0"
}

func luhnOK(s string) bool {
	sum := 0
	for i := range len(s) {
		v := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			if v *= 2; v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// Digest returns a stable fictional SHA-256 for a label.
func Digest(label string) string {
	h := sha256.Sum256([]byte(label))
	return hex.EncodeToString(h[:])
}
