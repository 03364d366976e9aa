package dossier

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// editor edits a dossier mapping node in place.
type editor struct {
	ds  *yaml.Node
	rep *WriteReport
}

// seq returns the dossier's sequence of that name, made if absent.
func (e *editor) seq(name string) *yaml.Node {
	if _, v := field(e.ds, name); v != nil && v.Kind == yaml.SequenceNode {
		v.Style = 0
		return v
	}
	v := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	e.set(e.ds, name, v)
	return v
}

func (e *editor) set(m *yaml.Node, name string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, scalar(name), v)
}

// listed brings up to date the digest of a dossier entry that already
// names the file (a document, an attestation or the VA) and says whether
// there was one. Reintegration documents sit outside the dossier block,
// which is all Write edits: 'drimm dossier digest' fills theirs.
func (e *editor) listed(f ContainerFile) bool {
	for _, where := range []struct{ seq, name string }{{"documents", "name"}, {"attestations", "document"}} {
		_, s := field(e.ds, where.seq)
		if s == nil || s.Kind != yaml.SequenceNode {
			continue
		}
		for i, it := range s.Content {
			if _, n := field(it, where.name); n != nil && n.Value == f.Name && it.Kind == yaml.MappingNode {
				if _, shared := field(it, "shared"); shared != nil {
					e.rep.Placed = append(e.rep.Placed, Placed{File: f.Rel, Field: fmt.Sprintf("dossier.%s.%d (shared: its digest is in operator.yaml)", where.seq, i)})
					return true
				}
				_, old := field(it, "sha256")
				e.set(it, "sha256", scalar(f.SHA256))
				e.rep.Placed = append(e.rep.Placed, Placed{File: f.Rel, Field: fmt.Sprintf("dossier.%s.%d", where.seq, i), Changed: old == nil || old.Value != f.SHA256})
				return true
			}
		}
	}
	if _, va := field(e.ds, "va"); va != nil && va.Kind == yaml.MappingNode {
		if _, n := field(va, "document"); n != nil && n.Value == f.Name {
			_, old := field(va, "sha256")
			e.set(va, "sha256", scalar(f.SHA256))
			e.rep.Placed = append(e.rep.Placed, Placed{File: f.Rel, Field: "dossier.va", Changed: old == nil || old.Value != f.SHA256})
			return true
		}
	}
	return false
}

// place adds the file under the condition and kind its name says.
func (e *editor) place(r *registry.Registry, f ContainerFile) {
	if m := attestationName.FindStringSubmatch(f.Name); m != nil {
		c := r.Condition(m[1])
		switch {
		case c == nil:
			e.unplaced(f, "%s is not in the conditions catalogue", m[1])
		case c.Attestation == nil || c.Attestation.Kind != m[2]:
			e.unplaced(f, "%s asks for no attestation %s (drimm explain %s)", m[1], m[2], m[1])
		default:
			signers := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			for _, p := range c.Attestation.Signers {
				signers.Content = append(signers.Content, flow("party", p, "role", defaultRoles[p]))
			}
			it := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			for _, kv := range [][2]string{{"condition", c.ID}, {"kind", m[2]}, {"document", f.Name}, {"sha256", f.SHA256}} {
				it.Content = append(it.Content, scalar(kv[0]), scalar(kv[1]))
			}
			it.Content = append(it.Content, scalar("signed_by"), signers)
			s := e.seq("attestations")
			s.Content = append(s.Content, it)
			e.rep.Placed = append(e.rep.Placed, Placed{File: f.Rel, Field: fmt.Sprintf("dossier.attestations.%d", len(s.Content)-1), New: true, Changed: true})
		}
		return
	}
	if m := documentName.FindStringSubmatch(f.Name); m != nil {
		c := r.Condition(m[1])
		switch {
		case c == nil:
			e.unplaced(f, "%s is not in the conditions catalogue", m[1])
		case !slices.ContainsFunc(c.Documents, func(d registry.DocumentReq) bool { return d.Kind == m[2] }):
			e.unplaced(f, "%s asks for no document of kind %s (drimm explain %s)", m[1], m[2], m[1])
		default:
			s := e.seq("documents")
			s.Content = append(s.Content, flow("condition", c.ID, "kind", m[2], "name", f.Name, "sha256", f.SHA256))
			e.rep.Placed = append(e.rep.Placed, Placed{File: f.Rel, Field: fmt.Sprintf("dossier.documents.%d", len(s.Content)-1), New: true, Changed: true})
		}
		return
	}
	e.unplaced(f, "its name says neither condition nor kind; name it COND-xx_<kind>.<ext> or COND-xx_attestation-<kind>.<ext> as 'drimm explain COND-xx' shows, or list it by hand")
}

func (e *editor) unplaced(f ContainerFile, format string, args ...any) {
	e.rep.Unplaced = append(e.rep.Unplaced, Unplaced{f.Rel, fmt.Sprintf(format, args...)})
}

// answers adds a skeleton answer for each party of each applicable
// condition that has not answered, keeping every answer given.
func (e *editor) answers(r *registry.Registry, d *registry.DRIMbox) {
	_, ans := field(e.ds, "answers")
	if ans == nil || ans.Kind != yaml.MappingNode {
		ans = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		e.set(e.ds, "answers", ans)
	}
	ans.Style = 0
	for _, c := range r.Conditions {
		if c.Optional || !c.Applies(d.Dossier) {
			continue
		}
		_, a := field(ans, c.ID)
		if a == nil || a.Kind != yaml.MappingNode {
			a = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
			e.set(ans, c.ID, a)
		}
		for _, p := range c.Parties() {
			if _, v := field(a, p); v == nil {
				a.Content = append(a.Content, scalar(p), scalar(AnswerSkeleton))
				e.rep.Answers = append(e.rep.Answers, c.ID+"/"+p)
			}
		}
	}
}
