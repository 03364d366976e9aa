package gitrepo

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFilesMatching: only the paths the patterns name are read, one
// pattern segment per folder level, and a path two patterns name is
// listed once.
func TestFilesMatching(t *testing.T) {
	r := newRepo(t)
	r.commit("registry/trust-space.yaml", "zone: z\n")
	r.commit("registry/conditions.yaml", "conditions: []\n")
	r.commit("registry/operators/op-a/operator.yaml", "id: op-a\n")
	r.commit("registry/operators/op-a/drimboxes/1.yaml", "identifiant: 1\n")
	r.commit("registry/operators/op-b/operator.yaml", "id: op-b\n")
	r.commit("registry/operators/op-b/notes/operator.yaml", "not an operator record\n")
	head := r.commit("other/trust-space.yaml", "outside the registry\n")
	g := r.open()
	c, err := g.Commit(head)
	if err != nil {
		t.Fatal(err)
	}
	files, err := g.FilesMatching(c, "registry", []string{"trust-space.yaml", "conditions.yaml", "operators/*/operator.yaml", "operators/op-a/operator.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var order []string
	for _, f := range files {
		got[f.Path] = string(f.Data)
		order = append(order, f.Path)
	}
	want := map[string]string{
		"trust-space.yaml":             "zone: z\n",
		"conditions.yaml":              "conditions: []\n",
		"operators/op-a/operator.yaml": "id: op-a\n",
		"operators/op-b/operator.yaml": "id: op-b\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}
	if len(order) != len(slices.Compact(slices.Sorted(slices.Values(order)))) {
		t.Fatalf("a path is listed twice: %v", order)
	}
	if none, err := g.FilesMatching(c, "absent", []string{"*"}); err != nil || len(none) != 0 {
		t.Fatalf("a missing folder gives %v, %v; want nothing", none, err)
	}
	if _, err := g.FilesMatching(c, "registry", []string{"[bad"}); err == nil {
		t.Fatal("a malformed pattern is accepted")
	}
}
