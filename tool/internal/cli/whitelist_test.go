package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/drim-m/trust-space/tool/internal/anchors"
	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// whitelistScripts are the CLI behaviours of drimm whitelist, as testscript
// files. Each runs in a folder holding a copy of the sample registry, a
// throwaway PKI ($PKI/root.pem, $PKI/org-ca.pem, $PKI/chain.pem,
// $PKI/signer-key.pem) and a SoftHSM2 token ($MODULE, $TOKEN, $KEY) whose PIN
// is in DRIMM_PKCS11_PIN; $ANCHORS holds the ANS's published test files.
var whitelistScripts = map[string]string{
	"csr.txtar": `
# A request for the ORG SIGN certificate, signed in the token.
exec drimm whitelist csr --pkcs11-module $MODULE --token-label $TOKEN --key-label $KEY --subject 'CN=Liste Blanche DRIM-M,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,C=FR' --out req.pem
stderr 'certificate request written to req.pem'
grep '^-----BEGIN CERTIFICATE REQUEST-----$' req.pem
exec openssl req -in req.pem -noout -subject -nameopt RFC2253
stdout 'subject=CN=Liste Blanche DRIM-M,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,C=FR'

# A subject without its organisation is refused before anything is written.
! exec drimm whitelist csr --pkcs11-module $MODULE --token-label $TOKEN --key-label $KEY --subject 'CN=Liste Blanche DRIM-M,C=FR' --out bad.pem
stderr 'CN, O and C are required'
! exists bad.pem
`,
	"publish_verify.txtar": `
# Publish through the HSM: the current list, a dated copy and the index.
exec drimm whitelist publish --at 2026-06-19T18:06:52Z --cert-chain $PKI/chain.pem --pkcs11-module $MODULE --token-label $TOKEN --key-label $KEY --trust-anchor $PKI/root.pem
stderr 'published list 1: whitelist/LISTEBLANCHE_DRIM-M.xml \(5 DRIMbox\(es\)'
stderr 'every DateMAJ is the generation time'
exists whitelist/LISTEBLANCHE_DRIM-M.xml whitelist/index.json whitelist/history/LISTEBLANCHE_DRIM-M.2026.06.19T180652Z.xml

# A DRIMbox verifies it, and keeps its state.
exec drimm whitelist verify --trust-anchor $PKI/root.pem --crl $PKI/crl.der --state state.json --max-age 72h --at 2026-06-20T08:00:00Z whitelist/LISTEBLANCHE_DRIM-M.xml
stdout '^1 +db1.test.mesimagesmedicales.fr +vi1.test.mesimagesmedicales.fr +ALPHA IMAGERIE FICTIVE SAS +2026-06-19T18:06:52Z$'
stderr 'verified: 5 DRIMbox\(es\), generated 2026-06-19T18:06:52Z'
exists state.json
cp whitelist/LISTEBLANCHE_DRIM-M.xml first.xml

# The same list, too old for the DRIMbox's policy.
! exec drimm whitelist verify --trust-anchor $PKI/root.pem --crl $PKI/crl.der --max-age 72h --at 2026-06-25T00:00:00Z whitelist/LISTEBLANCHE_DRIM-M.xml
stderr 'refused: the list is too old'
stderr 'hint: the list is too old: fetch the current one'

# A later list; the state then refuses the first one.
exec drimm whitelist publish --at 2026-06-20T18:00:00Z --cert-chain $PKI/chain.pem --pkcs11-module $MODULE --token-label $TOKEN --key-label $KEY --trust-anchor $PKI/root.pem
stderr 'published list 2'
stdout '0 added, 0 removed, 5 changed.'
stdout 'last change \(DateMAJ\): 2026-06-19T18:06:52Z → 2026-06-20T18:00:00Z'
exec drimm whitelist verify --trust-anchor $PKI/root.pem --crl $PKI/crl.der --state state.json --at 2026-06-20T18:30:00Z whitelist/LISTEBLANCHE_DRIM-M.xml
! exec drimm whitelist verify --trust-anchor $PKI/root.pem --crl $PKI/crl.der --state state.json --at 2026-06-20T18:30:00Z first.xml
stderr 'refused: the list goes back in time: DateDeGeneration 2026-06-19T18:06:52Z is older than 2026-06-20T18:00:00Z'

# The trust space gives the defaults: its max_age, its signer's names.
! exec drimm whitelist verify --trust-anchor $PKI/root.pem --crl $PKI/crl.der --trust-space short-max-age.yaml --at 2026-06-20T20:00:00Z whitelist/LISTEBLANCHE_DRIM-M.xml
stderr 'refused: the list is too old: generated on 2026-06-20T18:00:00Z, 2h0m0s before the verification time; the limit is 1h0m0s'
exec drimm whitelist verify --trust-anchor $PKI/root.pem --crl $PKI/crl.der --trust-space short-max-age.yaml --max-age 3h --at 2026-06-20T20:00:00Z whitelist/LISTEBLANCHE_DRIM-M.xml
! exec drimm whitelist verify --trust-anchor $PKI/root.pem --crl $PKI/crl.der --trust-space other-signer.yaml --at 2026-06-20T20:00:00Z whitelist/LISTEBLANCHE_DRIM-M.xml
stderr 'refused: the signer certificate is not acceptable: the signer''s O is "AGENCE DU NUMERIQUE EN SANTE", expected "AUTRE ORGANISATION"'

# JSON for machines.
exec drimm whitelist verify --trust-anchor $PKI/root.pem --crl $PKI/crl.der --at 2026-06-20T18:30:00Z --format json whitelist/LISTEBLANCHE_DRIM-M.xml
stdout '"verified":true'
stdout '"db":"db10.test.mesimagesmedicales.fr"'

# Publishing an older list is refused and changes nothing.
cp whitelist/index.json index.saved
! exec drimm whitelist publish --at 2026-06-20T00:00:00Z --cert-chain $PKI/chain.pem --pkcs11-module $MODULE --token-label $TOKEN --key-label $KEY --trust-anchor $PKI/root.pem
stderr 'not after the last published one'
cmp whitelist/index.json index.saved

-- short-max-age.yaml --
# Settings of the DRIM-M Espace de Confiance. Changed by ANS reviewers only.
zone: test.mesimagesmedicales.fr
reviewers:
  team: "@ans-drim-m/reviewers"
  logins:
    - ans-reviewer-alpha
    - ans-reviewer-beta
whitelist:
  namespace: https://github.com/ansforge/DRIM-M_DATA
  version_format: "1.0.0"
  # The next Liste Blanche must be published within this time of the last one.
  validity: 24h
  # A DRIMbox refuses a list older than this.
  max_age: 1h
signer:
  cn: Liste Blanche DRIM-M
  ou: "318751275100020"
  o: AGENCE DU NUMERIQUE EN SANTE
dns:
  ttl: 3600
  primary: ns1.test.mesimagesmedicales.fr.
  hostmaster: hostmaster.test.mesimagesmedicales.fr.
  nameservers:
    - ns1.test.mesimagesmedicales.fr.
    - ns2.test.mesimagesmedicales.fr.
  # Glue for the nameservers inside the zone (documentation addresses in this sample).
  addresses:
    ns1.test.mesimagesmedicales.fr.: ["192.0.2.53", "2001:db8::53"]
    ns2.test.mesimagesmedicales.fr.: ["198.51.100.53"]
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
-- other-signer.yaml --
# Settings of the DRIM-M Espace de Confiance. Changed by ANS reviewers only.
zone: test.mesimagesmedicales.fr
reviewers:
  team: "@ans-drim-m/reviewers"
  logins:
    - ans-reviewer-alpha
    - ans-reviewer-beta
whitelist:
  namespace: https://github.com/ansforge/DRIM-M_DATA
  version_format: "1.0.0"
  # The next Liste Blanche must be published within this time of the last one.
  validity: 24h
  # A DRIMbox refuses a list older than this.
  max_age: 72h
signer:
  cn: Liste Blanche DRIM-M
  ou: "318751275100020"
  o: AUTRE ORGANISATION
dns:
  ttl: 3600
  primary: ns1.test.mesimagesmedicales.fr.
  hostmaster: hostmaster.test.mesimagesmedicales.fr.
  nameservers:
    - ns1.test.mesimagesmedicales.fr.
    - ns2.test.mesimagesmedicales.fr.
  # Glue for the nameservers inside the zone (documentation addresses in this sample).
  addresses:
    ns1.test.mesimagesmedicales.fr.: ["192.0.2.53", "2001:db8::53"]
    ns2.test.mesimagesmedicales.fr.: ["198.51.100.53"]
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
`,

	"publish_hsm_failures.txtar": `
# Each HSM failure is said plainly, with what to do, and publishes nothing.
exec drimm whitelist publish --at 2026-06-19T18:06:52Z --cert-chain $PKI/chain.pem --pkcs11-module $MODULE --token-label $TOKEN --key-label $KEY --trust-anchor $PKI/root.pem
cp whitelist/index.json index.saved
cp whitelist/LISTEBLANCHE_DRIM-M.xml current.saved

env DRIMM_PKCS11_PIN=000000
! exec drimm whitelist publish --at 2026-06-20T18:00:00Z --cert-chain $PKI/chain.pem --pkcs11-module $MODULE --token-label $TOKEN --key-label $KEY --trust-anchor $PKI/root.pem
stderr 'drimm: error: PKCS#11 login refused: wrong PIN for token "drimm-cli-test"'
stderr 'drimm: hint: check DRIMM_PKCS11_PIN'
env DRIMM_PKCS11_PIN=$PIN

! exec drimm whitelist publish --at 2026-06-20T18:00:00Z --cert-chain $PKI/chain.pem --pkcs11-module $MODULE --token-label no-such-token --key-label $KEY --trust-anchor $PKI/root.pem
stderr 'PKCS#11 token not found: no token labelled "no-such-token"'
stderr 'hint: list the tokens with: pkcs11-tool'

! exec drimm whitelist publish --at 2026-06-20T18:00:00Z --cert-chain $PKI/chain.pem --pkcs11-module $MODULE --token-label $TOKEN --key-label no-such-key --trust-anchor $PKI/root.pem
stderr 'signing key not found in the token: no key pair labelled "no-such-key"'
stderr 'hint: list the keys with: pkcs11-tool'

! exec drimm whitelist publish --at 2026-06-20T18:00:00Z --cert-chain $PKI/chain.pem --pkcs11-module /nonexistent/libpkcs11.so --token-label $TOKEN --key-label $KEY --trust-anchor $PKI/root.pem
stderr 'PKCS#11 module cannot be loaded: /nonexistent/libpkcs11.so'

env DRIMM_PKCS11_PIN=
! exec drimm whitelist publish --at 2026-06-20T18:00:00Z --cert-chain $PKI/chain.pem --pkcs11-module $MODULE --token-label $TOKEN --key-label $KEY --trust-anchor $PKI/root.pem
stderr 'no HSM PIN: DRIMM_PKCS11_PIN is not set'
stderr 'never on the command line'

cmp whitelist/index.json index.saved
cmp whitelist/LISTEBLANCHE_DRIM-M.xml current.saved
exec ls whitelist/history
stdout -count=1 'LISTEBLANCHE_DRIM-M'
`,

	"sign_devkey.txtar": `
# Build, then sign with the demo's software key: it says so every time.
exec drimm whitelist build --at 2026-06-19T18:06:52Z --out list.xml
exec drimm whitelist sign --in list.xml --out signed.xml --cert-chain $PKI/chain.pem --dev-key $PKI/signer-key.pem --at 2026-06-19T18:06:52Z
stderr 'warning: signing with the software key .*signer-key.pem: for the demo only'
exec drimm whitelist verify --trust-anchor $PKI/root.pem --crl $PKI/crl.der --at 2026-06-19T19:00:00Z signed.xml
exec drimm whitelist sign --in list.xml --out signed2.xml --cert-chain $PKI/chain.pem --dev-key $PKI/signer-key.pem
stderr 'warning: signing with the software key'

# A signed list is not signed again; a file that is no list is not signed.
! exec drimm whitelist sign --in signed.xml --out again.xml --cert-chain $PKI/chain.pem --dev-key $PKI/signer-key.pem
stderr 'already holds 1 signature'
! exec drimm whitelist sign --in notalist.xml --out x.xml --cert-chain $PKI/chain.pem --dev-key $PKI/signer-key.pem
stderr 'notalist.xml: not a Liste Blanche'
! exists x.xml again.xml

# The same registry and time give the same bytes.
exec drimm whitelist build --at 2026-06-19T18:06:52Z --out list2.xml
cmp list.xml list2.xml

-- notalist.xml --
<?xml version="1.0"?><html/>
`,

	"verify_ans.txtar": `
# The ANS's signed test list verifies at its signing time, with the IGC Santé
# TEST root pinned and the ORGANISATIONS CA given (the list carries only the
# signer).
exec drimm whitelist verify --trust-anchor $ANCHORS/igc-sante-test-root.pem --ca $ANCHORS/igc-sante-test-org-ca.pem --at 2026-03-17T14:46:08Z --max-age 0 --no-revocation-check $ANCHORS/LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml
stdout '^175 +db175.test.mesimagesmedicales.fr'
stderr 'verified: 14 DRIMbox\(es\)'
stderr 'warning: the list''s age is not checked \(--max-age 0\)'
stderr 'warning: revocation is not checked \(--no-revocation-check\)'

# By default, it is refused: generated six months before it was signed, it
# is older than max_age.
! exec drimm whitelist verify --trust-anchor $ANCHORS/igc-sante-test-root.pem --ca $ANCHORS/igc-sante-test-org-ca.pem --at 2026-03-17T14:46:08Z --no-revocation-check $ANCHORS/LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml
stderr 'refused: the list is too old: generated on 2025-09-10T11:08:12Z'

# Today, after its signer expired, it is refused whatever the age limit.
! exec drimm whitelist verify --trust-anchor $ANCHORS/igc-sante-test-root.pem --ca $ANCHORS/igc-sante-test-org-ca.pem --at 2026-09-13T00:00:00Z --max-age 0 --no-revocation-check $ANCHORS/LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml
stderr 'at the verification time 2026-09-13T00:00:00Z, certificate .*Liste Blanche DRIM-M.* is not valid'

# Its CRL distribution points are on the internet: a revocation check that
# cannot reach them refuses.
! exec drimm whitelist verify --trust-anchor $ANCHORS/igc-sante-test-root.pem --ca $ANCHORS/igc-sante-test-org-ca.pem --at 2026-03-17T14:46:08Z --max-age 0 --crl $PKI/crl.der $ANCHORS/LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml
stderr 'refused: the revocation status of the signer is unknown'

# Without the CA, the chain cannot be built.
! exec drimm whitelist verify --trust-anchor $ANCHORS/igc-sante-test-root.pem --no-revocation-check --at 2026-03-17T14:46:08Z $ANCHORS/LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml
stderr 'does not chain to a pinned root'

# Pinned to another root, it is refused.
! exec drimm whitelist verify --trust-anchor $PKI/root.pem --no-revocation-check --ca $ANCHORS/igc-sante-test-org-ca.pem --at 2026-03-17T14:46:08Z $ANCHORS/LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml
stderr 'does not chain to a pinned root'

# The unsigned copy is refused.
! exec drimm whitelist verify --trust-anchor $ANCHORS/igc-sante-test-root.pem --ca $ANCHORS/igc-sante-test-org-ca.pem --at 2026-03-17T14:46:08Z --no-revocation-check $ANCHORS/LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml
stderr 'refused: the document is not signed'
stderr 'hint: a DRIMbox only trusts a signed list'

# What changed between the two, in words.
exec drimm whitelist diff $ANCHORS/LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml $ANCHORS/LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml
stdout 'Liste Blanche of 2025-07-23T11:08:12Z → 2025-09-10T11:08:12Z: 6 → 14 DRIMbox\(es\)'
stdout '8 added, 0 removed, 4 changed.'
stdout '^Changed DRIMbox 3 \(db3.test.mesimagesmedicales.fr\):$'
stdout '^    vi: \(none\) → vi3.test.mesimagesmedicales.fr$'
`,

	"import_testvectors.txtar": `
# Import the ANS list into an empty registry: records to complete, then build.
mkdir imported
cp registry/trust-space.yaml imported/trust-space.yaml
! exec drimm whitelist import $ANCHORS/LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml --registry imported
stderr 'error: --trust-anchor is required'
stderr 'hint: pin the root with --trust-anchor PEM, or import an unsigned copy knowingly with --unsigned'
! exec drimm whitelist import $ANCHORS/LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml --registry imported --trust-anchor $ANCHORS/igc-sante-test-root.pem --no-revocation-check
stderr 'refused, nothing imported: the document is not signed'
! exists imported/operators
exec drimm whitelist import $ANCHORS/LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml --registry imported --unsigned
stderr 'warning: importing .*LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml without verifying a signature \(--unsigned\)'
stdout 'imported/operators/e-media/drimboxes/175.yaml'
stderr 'imported 6 DRIMbox\(es\)'
exists imported/operators/e-media/operator.yaml
grep 'a-completer.invalid' imported/operators/e-media/drimboxes/175.yaml

# Again: nothing to write.
exec drimm whitelist import $ANCHORS/LISTEBLANCHE_DRIM-M_NONSIGNEE_TEST.xml --registry imported --unsigned
stderr 'imported 0 DRIMbox\(es\) and 0 operator\(s\); 6 already present unchanged'

# The signed list, verified as of its signing time.
mkdir imported2
cp registry/trust-space.yaml imported2/trust-space.yaml
exec drimm whitelist import $ANCHORS/LISTEBLANCHE_DRIM-M_SIGNEE_TEST.2026.06.01.xml --registry imported2 --trust-anchor $ANCHORS/igc-sante-test-root.pem --ca $ANCHORS/igc-sante-test-org-ca.pem --at 2026-03-17T14:46:08Z --no-revocation-check
stderr 'warning: revocation not checked'
stderr 'imported 14 DRIMbox\(es\)'

# The homologation kit: every vector with its verdict.
exec drimm whitelist testvectors --out kit --at 2026-06-19T18:06:52Z
stdout '^valid.xml +accept'
stdout '^comment-injected.xml +refuse'
exists kit/root.pem kit/org-ca.pem kit/crl.der kit/testvectors.json kit/README.txt
exec drimm whitelist verify --trust-anchor kit/root.pem --ca kit/org-ca.pem --crl kit/crl.der --at 2026-06-19T18:06:52Z kit/valid.xml
! exec drimm whitelist verify --trust-anchor kit/root.pem --ca kit/org-ca.pem --crl kit/crl.der --at 2026-06-19T18:06:52Z kit/wrapped-signature.xml
! exec drimm whitelist verify --trust-anchor kit/root.pem --ca kit/org-ca.pem --crl kit/crl.der --at 2026-06-19T18:06:52Z kit/revoked-signer.xml
stderr 'revoked'
! exec drimm whitelist verify --trust-anchor kit/root.pem --ca kit/org-ca.pem --crl kit/crl.der --at 2026-06-19T18:06:52Z kit/backdated-signer.xml
stderr 'refused: the signer certificate is not acceptable: at the verification time 2026-06-19T18:06:52Z, certificate .* is not valid'
! exec drimm whitelist verify --trust-anchor kit/root.pem --ca kit/org-ca.pem --crl kit/crl.der --at 2026-06-19T18:06:52Z kit/signed-before-generation.xml
stderr 'refused: the list''s dates do not hold together: signed at 2026-06-19T17:05:52Z, before its DateDeGeneration 2026-06-19T18:05:52Z'
! exec drimm whitelist verify --trust-anchor kit/root.pem --ca kit/org-ca.pem --crl kit/crl.der --at 2026-06-19T18:06:52Z kit/unsigned-properties.xml
stderr 'refused: the file holds content the signature does not cover'
! exec drimm whitelist verify --trust-anchor kit/root.pem --ca kit/org-ca.pem --crl kit/crl-expired.der --at 2026-06-19T18:06:52Z kit/valid.xml
stderr 'refused: the revocation status of the signer is unknown: the CRL of .* expired on'
exec drimm whitelist verify --trust-anchor kit/root.pem --ca kit/org-ca.pem --crl kit/crl-expired.der --crl-soft-fail --at 2026-06-19T18:06:52Z kit/valid.xml
stderr 'warning: revocation not checked: the CRL of .* expired on'
! exec drimm whitelist verify --trust-anchor kit/root.pem --ca kit/org-ca.pem --crl kit/crl.der --at 2026-06-19T18:06:52Z kit/too-old.xml
stderr 'refused: the list is too old'
! exec drimm whitelist verify --trust-anchor kit/root.pem --ca kit/org-ca.pem --at 2026-06-19T18:06:52Z kit/valid.xml
stderr 'refused: the revocation status of the signer is unknown: no CRL given is signed by .*names no CRL distribution point'
stderr 'hint: check that the CA''s CRL can be fetched'

# A signer that is not valid at the signing time signs nothing.
exec drimm whitelist build --at 2026-06-19T18:06:52Z --out list.xml
! exec drimm whitelist sign --in list.xml --out late.xml --cert-chain $PKI/chain.pem --dev-key $PKI/signer-key.pem --at 2030-01-01T00:00:00Z
stderr 'error: the signer certificate "Liste Blanche DRIM-M" is not valid at the signing time 2030-01-01T00:00:00Z'
! exec drimm whitelist sign --in list.xml --out early.xml --cert-chain $PKI/chain.pem --dev-key $PKI/signer-key.pem --at 2026-01-01T00:00:00Z
stderr 'is not valid at the signing time 2026-01-01T00:00:00Z'
! exists late.xml early.xml

# The demo PKI is not made over an existing one.
mkdir pkidir
cp list.xml pkidir/x
! exec drimm whitelist testpki --out pkidir
stderr 'error: pkidir already exists and is not empty'
stderr 'hint: remove it first \(rm -r pkidir\)'
`,
}

// whitelistFixture is the PKI and SoftHSM2 token the scripts and tests use.
type whitelistFixture struct {
	pki   *testpki.PKI
	files testpki.Files
	token *testpki.Token
}

func newWhitelistFixture(t *testing.T, dir string) *whitelistFixture {
	t.Helper()
	requireTool(t, "softhsm2-util", "softhsm2")
	fx, err := makeWhitelistFixture(dir)
	if err != nil {
		t.Fatal(err)
	}
	return fx
}

func makeWhitelistFixture(dir string) (*whitelistFixture, error) {
	p, err := testpki.New(testpki.Options{Now: time.Date(2026, 6, 19, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		return nil, err
	}
	files, err := p.WriteFiles(filepath.Join(dir, "pki"))
	if err != nil {
		return nil, err
	}
	crl, err := p.RevocationList(p.Now().Add(-time.Hour))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "pki", "crl.der"), crl, 0o644); err != nil {
		return nil, err
	}
	h, err := testpki.NewSoftHSM(filepath.Join(dir, "softhsm"))
	if err != nil {
		return nil, err
	}
	tok, err := h.CreateToken("drimm-cli-test", "482913", p.Signer, "liste-blanche")
	if err != nil {
		return nil, err
	}
	return &whitelistFixture{pki: p, files: files, token: tok}, nil
}

func TestWhitelistScripts(t *testing.T) {
	repoRoot, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	// The scripts that read the ANS's published lists are skipped alone
	// when those are not beside the repository (failed under CI=true).
	ansDir, haveANS, err := anchors.Dir()
	if err != nil {
		t.Fatal(err)
	}
	requireTool(t, "softhsm2-util", "softhsm2")
	scripts := t.TempDir()
	for name, body := range whitelistScripts {
		if !haveANS && strings.Contains(body, "$ANCHORS") {
			t.Run(strings.TrimSuffix(name, ".txtar"), func(t *testing.T) { anchors.Missing(t) })
			continue
		}
		if err := os.WriteFile(filepath.Join(scripts, name), []byte(strings.TrimPrefix(body, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	testscript.Run(t, testscript.Params{
		Dir: scripts,
		Setup: func(e *testscript.Env) error {
			if err := os.CopyFS(filepath.Join(e.WorkDir, "registry"), os.DirFS(filepath.Join(repoRoot, "tool", "testdata", "registry"))); err != nil {
				return err
			}
			fx, err := makeWhitelistFixture(filepath.Join(e.WorkDir, ".fixture"))
			if err != nil {
				return err
			}
			e.Setenv("PKI", filepath.Dir(fx.files.Root))
			e.Setenv("SOFTHSM2_CONF", fx.token.Conf)
			e.Setenv("MODULE", fx.token.Module)
			e.Setenv("TOKEN", fx.token.Label)
			e.Setenv("KEY", fx.token.KeyLabel)
			e.Setenv("PIN", fx.token.PIN)
			e.Setenv("DRIMM_PKCS11_PIN", fx.token.PIN)
			e.Setenv("ANCHORS", ansDir)
			e.Setenv("DRIMM_NO_CACHE", "1")
			return nil
		},
	})
}

// runDrimm runs the whole CLI in this process.
func runDrimm(t *testing.T, root string, getenv map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Now:    func() time.Time { return time.Date(2026, 6, 19, 18, 6, 52, 0, time.UTC) },
		Getenv: func(k string) string { return getenv[k] },
		Root:   root,
	}
	code := Run(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

func TestWhitelistExitCodes(t *testing.T) {
	dir := t.TempDir()
	fx := newWhitelistFixture(t, dir)
	t.Setenv("SOFTHSM2_CONF", fx.token.Conf)
	if err := os.CopyFS(filepath.Join(dir, "registry"), os.DirFS("../../testdata/registry")); err != nil {
		t.Fatal(err)
	}
	hsmFlags := []string{"--cert-chain", fx.files.Chain, "--pkcs11-module", fx.token.Module, "--token-label", fx.token.Label, "--key-label", fx.token.KeyLabel}
	pin := map[string]string{pinEnv: fx.token.PIN}
	tests := []struct {
		name   string
		getenv map[string]string
		args   []string
		code   int
		says   string
	}{
		{"publish", pin, append([]string{"whitelist", "publish", "--trust-anchor", fx.files.Root}, hsmFlags...), ExitOK, "published list 1"},
		{"no --cert-chain", pin, []string{"whitelist", "sign", "--in", "a", "--out", "b", "--dev-key", fx.files.SignerKey}, ExitUsage, "--cert-chain is required"},
		{"key not named", pin, []string{"whitelist", "sign", "--in", "a", "--out", "b", "--cert-chain", fx.files.Chain}, ExitUsage, "the signing key is not named"},
		{"dev key and HSM", pin, append([]string{"whitelist", "sign", "--in", "a", "--out", "b", "--dev-key", fx.files.SignerKey}, hsmFlags...), ExitUsage, "cannot be used with"},
		{"a PIN flag does not exist", pin, append([]string{"whitelist", "publish", "--pin", "1234"}, hsmFlags...), ExitUsage, "unknown flag: --pin"},
		{"wrong PIN", map[string]string{pinEnv: "111111"}, append([]string{"whitelist", "publish", "--trust-anchor", fx.files.Root, "--at", "2026-06-20T00:00:00Z"}, hsmFlags...), ExitEnv, "wrong PIN"},
		{"verify without trust anchor", nil, []string{"whitelist", "verify", "x.xml"}, ExitUsage, "--trust-anchor is required"},
		{"a leaf as trust anchor", nil, []string{"whitelist", "verify", "--trust-anchor", fx.files.Signer, "x.xml"}, ExitUsage, "is not a CA certificate"},
		{"a leaf as trust anchor, the hint", nil, []string{"whitelist", "verify", "--trust-anchor", fx.files.Signer, "x.xml"}, ExitUsage, "drimm: hint: --trust-anchor takes the root CA certificate"},
		{"a leaf as fetch's trust anchor", nil, []string{"whitelist", "fetch", "--url", "https://127.0.0.1/x.xml", "--out", "lb", "--trust-anchor", fx.files.Signer}, ExitUsage, "is not a CA certificate"},
		{"an empty --signer-cn", nil, []string{"whitelist", "verify", "--trust-anchor", fx.files.Root, "--signer-cn", "", "x.xml"}, ExitUsage, "--signer-cn is empty"},
		{"an empty --signer-o to fetch", nil, []string{"whitelist", "fetch", "--url", "https://127.0.0.1/x.xml", "--out", "lb", "--trust-anchor", fx.files.Root, "--signer-o="}, ExitUsage, "--signer-o is empty"},
		{"revocation both skipped and given", nil, []string{"whitelist", "verify", "--trust-anchor", fx.files.Root, "--no-revocation-check", "--crl", "c.der", "x.xml"}, ExitUsage, "--no-revocation-check cannot be used with --crl"},
		{"a negative --max-age", nil, []string{"whitelist", "verify", "--trust-anchor", fx.files.Root, "--max-age", "-1h", "x.xml"}, ExitUsage, "--max-age is negative"},
		{"fetch without --out", nil, []string{"whitelist", "fetch", "--url", "https://127.0.0.1/x.xml", "--trust-anchor", fx.files.Root}, ExitUsage, "--url and --out are required"},
		{"fetch over http", nil, []string{"whitelist", "fetch", "--url", "http://127.0.0.1/x.xml", "--out", "lb", "--trust-anchor", fx.files.Root}, ExitUsage, "is not an https:// URL"},
		{"import both unsigned and verified", nil, []string{"whitelist", "import", "--unsigned", "--trust-anchor", fx.files.Root, "x.xml"}, ExitUsage, "--unsigned cannot be used with --trust-anchor"},
		{"verify a missing file", nil, []string{"whitelist", "verify", "--trust-anchor", fx.files.Root, filepath.Join(dir, "none.xml")}, ExitEnv, "no such file"},
		{"verify an unsigned list", nil, []string{"whitelist", "verify", "--trust-anchor", fx.files.Root, "../../../tool/internal/whitelist/testdata/golden/unsigned.xml"}, ExitFindings, "not signed"},
		{"bad --at", nil, []string{"whitelist", "build", "--at", "yesterday"}, ExitUsage, "is not a date or time"},
		{"diff needs two files", nil, []string{"whitelist", "diff", "a.xml"}, ExitUsage, "accepts 2 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runDrimm(t, dir, tt.getenv, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.says) {
				t.Errorf("stderr does not say %q:\n%s", tt.says, stderr)
			}
		})
	}
}

func TestWhitelistVerifyRefusesA50MiBFile(t *testing.T) {
	dir := t.TempDir()
	p, err := testpki.New(testpki.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	files, err := p.WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.xml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ListeBlancheDRIM-M xmlns="https://github.com/ansforge/DRIM-M_DATA" versionFormat="1.0.0">`)
	f.Write(bytes.Repeat([]byte(" "), 50<<20))
	f.WriteString(`</ListeBlancheDRIM-M>`)
	f.Close()
	code, _, stderr := runDrimm(t, dir, nil, "whitelist", "verify", "--trust-anchor", files.Root, big)
	if code != ExitFindings || !strings.Contains(stderr, "input too large") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}
