package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

// holdRepo is a git repository holding the frozen sample registry, with the
// HSM flags to publish from it.
type holdRepo struct {
	t    *testing.T
	dir  string
	args []string
	pin  map[string]string
}

func newHoldRepo(t *testing.T) *holdRepo {
	t.Helper()
	requireTool(t, "git", "git")
	dir := t.TempDir()
	fx := newWhitelistFixture(t, filepath.Join(dir, ".fixture"))
	t.Setenv("SOFTHSM2_CONF", fx.token.Conf)
	repo := filepath.Join(dir, "repo")
	if err := os.CopyFS(filepath.Join(repo, "registry"), os.DirFS("../../testdata/registry")); err != nil {
		t.Fatal(err)
	}
	r := &holdRepo{t: t, dir: repo, pin: map[string]string{pinEnv: fx.token.PIN},
		args: []string{"--cert-chain", fx.files.Chain, "--pkcs11-module", fx.token.Module, "--token-label", fx.token.Label,
			"--key-label", fx.token.KeyLabel, "--trust-anchor", fx.files.Root}}
	r.git("init", "-q", "-b", "main")
	r.commit("Trust space")
	return r
}

func (r *holdRepo) git(args ...string) {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+r.dir, "GIT_AUTHOR_NAME=ANS", "GIT_AUTHOR_EMAIL=drim-m@ans.example",
		"GIT_COMMITTER_NAME=ANS", "GIT_COMMITTER_EMAIL=drim-m@ans.example", "GIT_AUTHOR_DATE=2026-06-01T10:00:00Z", "GIT_COMMITTER_DATE=2026-06-01T10:00:00Z")
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func (r *holdRepo) commit(msg string) {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
}

func (r *holdRepo) edit(path, old, new string) {
	r.t.Helper()
	p := filepath.Join(r.dir, path)
	data, err := os.ReadFile(p)
	if err != nil {
		r.t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		r.t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// publish runs drimm whitelist publish at a time and returns its exit
// status, its stderr and the list it left in whitelist/.
func (r *holdRepo) publish(at string) (int, string, *whitelist.List) {
	r.t.Helper()
	code, _, stderr := runDrimm(r.t, r.dir, r.pin, append([]string{"whitelist", "publish", "--at", at}, r.args...)...)
	data, err := os.ReadFile(filepath.Join(r.dir, "whitelist", whitelist.CurrentFile))
	if err != nil {
		r.t.Fatalf("no list published: %v\n%s", err, stderr)
	}
	l, err := whitelist.Parse(data)
	if err != nil {
		r.t.Fatal(err)
	}
	return code, stderr, l
}

func entry(t *testing.T, l *whitelist.List, id int) *whitelist.Domain {
	t.Helper()
	d := l.Domain(id)
	if d == nil {
		t.Fatalf("the list lacks DRIMbox %d", id)
	}
	return d
}

// TestPublishHoldsBackBrokenRecords commits broken records on main and
// checks that publishing still re-signs the list, each broken DRIMbox
// keeping its last entry, says what it held back and exits 1; that a
// broken shared record keeps every entry; and that the entries come back
// once the records are fixed.
func TestPublishHoldsBackBrokenRecords(t *testing.T) {
	r := newHoldRepo(t)
	box1 := "registry/operators/alpha-imagerie/drimboxes/1.yaml"
	box2 := "registry/operators/alpha-imagerie/drimboxes/2.yaml"
	box7 := "registry/operators/gamma-infogerance/drimboxes/7.yaml"

	code, stderr, first := r.publish("2026-06-19T18:00:00Z")
	if code != ExitOK || len(first.Domains) != 5 {
		t.Fatalf("first publication: exit %d, %d entries\n%s", code, len(first.Domains), stderr)
	}
	r.commit("whitelist: publish list 1")
	oldDN := entry(t, first, 1).CertDN

	// DRIMbox 1's certificate DN no longer names its db name; DRIMbox 7's
	// record no longer parses; DRIMbox 2 changes its contact cleanly.
	r.edit(box1, "CN=db1.test.mesimagesmedicales.fr", "CN=db99.test.mesimagesmedicales.fr")
	r.edit(box7, "status: operational", "status: [operational")
	r.edit(box2, "support_contact: support@alpha-imagerie.example", "support_contact: pacs-support@alpha-imagerie.example")
	r.commit("Broken records on main")

	code, stderr, second := r.publish("2026-06-20T18:00:00Z")
	if code != ExitOK {
		t.Fatalf("exit %d with records held back, want %d: the list is published\n%s", code, ExitOK, stderr)
	}
	for _, want := range []string{
		"DN-CN",
		"drimm: warning: held back DRIMbox 1: the list keeps its last published entry until its record is fixed",
		"drimm: warning: held back DRIMbox 7: the list keeps its last published entry",
		"drimm: warning: published list 2, but held back 2 DRIMbox(es) whose records have findings",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if got := entry(t, second, 1).CertDN; got != oldDN {
		t.Errorf("held DRIMbox 1 publishes DN %q, want its last entry's %q", got, oldDN)
	}
	if !entry(t, second, 1).Updated.Equal(entry(t, first, 1).Updated) {
		t.Errorf("held DRIMbox 1's DateMAJ moved: %v → %v", entry(t, first, 1).Updated, entry(t, second, 1).Updated)
	}
	entry(t, second, 7)
	if got := entry(t, second, 2).SupportContact; got != "pacs-support@alpha-imagerie.example" {
		t.Errorf("clean DRIMbox 2 publishes contact %q, want the new one", got)
	}
	if len(second.Domains) != 5 || !second.Generated.After(first.Generated) {
		t.Errorf("second list: %d entries, generated %v", len(second.Domains), second.Generated)
	}
	r.commit("whitelist: publish list 2")

	// What the publish workflow's last step reports: one issue per held
	// DRIMbox, naming its operator's maintainers.
	code, stdout, stderr := runDrimm(t, r.dir, nil, "github", "held", "--dry-run")
	if code != ExitFindings || !strings.Contains(stdout, "held-back/1\tListe Blanche: DRIMbox 1 held back") || !strings.Contains(stdout, "held-back/7\t") || strings.Contains(stdout, "held-back/2\t") {
		t.Errorf("github held: exit %d\n%s\n%s", code, stdout, stderr)
	}

	// A withdrawal leaves the list even when the record has findings.
	r.edit(box1, "status: operational", "status: withdrawn")
	r.commit("Withdraw DRIMbox 1")
	code, stderr, third := r.publish("2026-06-21T18:00:00Z")
	if code != ExitOK || third.Domain(1) != nil {
		t.Errorf("withdrawn DRIMbox 1 with findings: exit %d, in list %v\n%s", code, third.Domain(1) != nil, stderr)
	}
	r.edit(box1, "status: withdrawn", "status: operational")
	r.commit("Undo the withdrawal")

	// A broken conditions.yaml holds back every DRIMbox: the last entries
	// are re-signed, DRIMbox 2's next change waits.
	r.edit("registry/conditions.yaml", "conditions:", "conditions: [")
	r.edit(box2, "support_contact: pacs-support@alpha-imagerie.example", "support_contact: imagerie@alpha-imagerie.example")
	r.commit("Broken catalogue")
	code, stderr, fourth := r.publish("2026-06-22T18:00:00Z")
	if code != ExitOK || !strings.Contains(stderr, "every DRIMbox kept its last published entry") {
		t.Fatalf("broken catalogue: exit %d\n%s", code, stderr)
	}
	if got := entry(t, fourth, 2).SupportContact; got != "pacs-support@alpha-imagerie.example" {
		t.Errorf("with a broken catalogue DRIMbox 2 publishes %q, want its last entry", got)
	}
	if len(fourth.Domains) != len(third.Domains) {
		t.Errorf("%d entries with a broken catalogue, want the last list's %d", len(fourth.Domains), len(third.Domains))
	}

	// Fixed: every entry comes from its record again, exit 0.
	r.edit("registry/conditions.yaml", "conditions: [", "conditions:")
	r.edit(box1, "CN=db99.test.mesimagesmedicales.fr", "CN=db1.test.mesimagesmedicales.fr")
	r.edit(box7, "status: [operational", "status: operational")
	r.commit("Records fixed")
	code, stderr, fifth := r.publish("2026-06-23T18:00:00Z")
	if code != ExitOK || strings.Contains(stderr, "held back") {
		t.Fatalf("fixed registry: exit %d\n%s", code, stderr)
	}
	if got := entry(t, fifth, 2).SupportContact; got != "imagerie@alpha-imagerie.example" || len(fifth.Domains) != 5 {
		t.Errorf("fixed registry: DRIMbox 2 contact %q, %d entries", got, len(fifth.Domains))
	}
	code, _, stderr = runDrimm(t, r.dir, nil, "github", "held", "--dry-run")
	if code != ExitOK || !strings.Contains(stderr, "nothing held back") {
		t.Errorf("github held after the fix: exit %d\n%s", code, stderr)
	}
}
