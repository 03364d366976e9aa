package dossier

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// ContainerFile is one regular file of an unpacked ZED container.
type ContainerFile struct {
	// Rel is its slash-separated path in the container; Name its base name.
	Rel, Name, SHA256 string
}

// Placed says where Write put a file of the container.
type Placed struct {
	File  string `json:"file"`
	Field string `json:"field"`
	// New is false when the record already listed it (its digest is
	// then brought up to date).
	New bool `json:"new"`
	// Changed is set when the record's digest for it was another.
	Changed bool `json:"changed"`
}

// Unplaced is a file Write could not place, and why.
type Unplaced struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// WriteReport is what Write did to a record.
type WriteReport struct {
	Placed   []Placed   `json:"placed"`
	Unplaced []Unplaced `json:"unplaced"`
	// Answers are the answer skeletons added, as COND-xx/party.
	Answers []string `json:"answers"`
}

// The names 'drimm explain' suggests: COND-xx_<kind>.<ext> for a
// document, COND-xx_attestation-<kind>.<ext> for an attestation.
var (
	attestationName = regexp.MustCompile(`^(COND-[0-9]{2})_attestation-([a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?)\.[A-Za-z0-9]{1,8}$`)
	documentName    = regexp.MustCompile(`^(COND-[0-9]{2})_([a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?)\.[A-Za-z0-9]{1,8}$`)
)

// AnswerSkeleton is the answer Write gives a party that has not answered:
// the work is in progress until the party itself says conforme.
const AnswerSkeleton = "en-cours"

// defaultRoles are the functions the ANS's attestation models name for
// each signing party; the operator corrects them when another function
// signed.
var defaultRoles = map[string]string{"operator": "Représentant légal", "client": "Direction de l'établissement"}

// Write places the files of an unpacked ZED container into the record's
// dossier: each document under the condition and kind its name says, each
// attestation with its signers' roles, every digest, and an answer
// skeleton for each party of each applicable condition that has none. It
// edits only the record's top-level dossier block and keeps what is there:
// entries already listed get their digest brought up to date, answers
// already given stay. src is the record's bytes; the result is the new
// bytes.
func Write(src []byte, r *registry.Registry, d *registry.DRIMbox, files []ContainerFile) ([]byte, WriteReport, error) {
	rep := WriteReport{Placed: []Placed{}, Unplaced: []Unplaced{}, Answers: []string{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, rep, fmt.Errorf("reading the record: %w", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, rep, fmt.Errorf("the record is not a mapping")
	}
	top := doc.Content[0]
	key, ds := field(top, "dossier")
	if ds == nil {
		ds = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	} else if ds.Kind != yaml.MappingNode {
		return nil, rep, fmt.Errorf("line %d: dossier is not a mapping", ds.Line)
	}
	ds.Style = 0
	e := &editor{ds: ds, rep: &rep}
	names := map[string]int{}
	for _, f := range files {
		names[f.Name]++
	}
	for _, f := range files {
		switch {
		case names[f.Name] > 1:
			rep.Unplaced = append(rep.Unplaced, Unplaced{f.Rel, "the container holds several files of this name; keep one"})
		case e.listed(f):
		default:
			e.place(r, f)
		}
	}
	e.answers(r, d)
	out, err := splice(src, top, key, ds)
	if err != nil {
		return nil, rep, err
	}
	return out, rep, nil
}

// field returns the key and value nodes of a mapping's field.
func field(m *yaml.Node, name string) (*yaml.Node, *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// splice replaces the record's dossier block with the edited one, or
// appends it, leaving every other line as it was.
func splice(src []byte, top, key, ds *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "dossier"}, ds}}); err != nil {
		return nil, fmt.Errorf("writing the dossier: %w", err)
	}
	block := b.Bytes()
	lines := bytes.SplitAfter(src, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	if key == nil {
		out := bytes.Join(lines, nil)
		if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
			out = append(out, '\n')
		}
		return append(out, block...), nil
	}
	if key.Column != 1 {
		return nil, fmt.Errorf("line %d: dossier is not at the start of its line", key.Line)
	}
	start, end := key.Line-1, len(lines)
	for i := 0; i+1 < len(top.Content); i += 2 {
		if k := top.Content[i]; k.Line > key.Line && k.Line-1 < end {
			end = k.Line - 1
		}
	}
	// Comments and blank lines just above the next field belong to it.
	for end > start+1 && (len(bytes.TrimSpace(lines[end-1])) == 0 || bytes.HasPrefix(lines[end-1], []byte("#"))) {
		end--
	}
	out := slices.Concat(lines[:start], [][]byte{block}, lines[end:])
	return bytes.Join(out, nil), nil
}

// flow is a one-line mapping of the given keys and values.
func flow(kv ...string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Content = append(n.Content, scalar(kv[i]), scalar(kv[i+1]))
	}
	return n
}

func scalar(v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
	if numberLike.MatchString(v) || strings.ContainsAny(v, ":#{}[],&*!|>'\"%@`") {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// ListContainer lists the regular files of a ZED container unpacked in
// dir, with their digests, never following a link. Links and special
// files are findings, as in Verify; display is how findings name dir.
func ListContainer(ctx context.Context, dir, display string) ([]ContainerFile, []registry.Finding, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("opening the container %s: %w", dir, err)
	}
	defer root.Close()
	v := &verifier{root: root, display: display, digester: newDigester(root), byName: map[string][]string{}, listed: map[string]bool{}}
	if err := v.walk(); err != nil {
		return nil, nil, err
	}
	var out []ContainerFile
	for _, rel := range v.regular {
		s, err := v.digest(ctx, rel, 0)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			v.add(finding(v.show(rel), 1, 1, RuleRead, "cannot read the file: %v", err))
			continue
		}
		out = append(out, ContainerFile{Rel: rel, Name: path.Base(rel), SHA256: s.hex})
	}
	return out, v.report.Findings, nil
}
