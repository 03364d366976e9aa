package dossier

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Entry is one file the record says the ZED container holds.
type Entry struct {
	Name   string
	SHA256 string
	// What names the entry for people, e.g. "COND-03 document plan-assurance-securite".
	What string
	// Template is the ANS template the file follows, if any.
	Template string
	// Optional entries are checked only when the container holds them:
	// the VA document, which the operator supplies, may travel apart.
	Optional bool
	// Field is where the entry sits in the record, for findings.
	Field []string
	// Attestation entries must carry an electronic signature when PDF.
	Attestation bool
	// Shared entries are declared once in the operator's record.
	Shared bool
}

// Entries lists what a DRIMbox's record says its ZED container holds:
// the documents, the attestations and the VA.
func Entries(r *registry.Registry, d *registry.DRIMbox) []Entry {
	var out []Entry
	for i, doc := range d.Dossier.Documents {
		what := doc.Condition + " document " + doc.Kind
		if doc.Shared != "" {
			// Declared once by the operator; still in every container.
			doc, _ = r.Resolve(d, doc)
			what += " (shared, declared in operators/" + d.Operator + "/operator.yaml)"
		}
		e := Entry{Name: doc.Name, SHA256: doc.SHA256, What: what, Shared: doc.Shared != "",
			Field: []string{"dossier", "documents", strconv.Itoa(i)}}
		if c := r.Condition(doc.Condition); c != nil {
			for _, req := range c.Documents {
				if req.Kind == doc.Kind {
					e.Template = req.Template
				}
			}
		}
		out = append(out, e)
	}
	for i, a := range d.Dossier.Attestations {
		out = append(out, Entry{Name: a.Document, SHA256: a.SHA256, What: a.Condition + " attestation " + a.Kind,
			Field: []string{"dossier", "attestations", strconv.Itoa(i)}, Attestation: true})
	}
	if re := d.Reintegration; re != nil {
		for i, doc := range re.Documents {
			out = append(out, Entry{Name: doc.Name, SHA256: doc.SHA256, What: "reintegration document " + doc.Kind,
				Field: []string{"reintegration", "documents", strconv.Itoa(i)}})
		}
	}
	if va := d.Dossier.VA; va != nil {
		out = append(out, Entry{Name: va.Document, SHA256: va.SHA256, What: "Validation d'Aptitude (" + va.Variant + ")",
			Optional: true, Field: []string{"dossier", "va"}})
	}
	return out
}

// File is one file of the container that the record lists, as verified.
type File struct {
	Name     string `json:"name"`
	Path     string `json:"path"`
	What     string `json:"what"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	Match    bool   `json:"match"`
	Template string `json:"template,omitempty"`
	// Field is where the entry sits in the record.
	Field []string `json:"-"`
	// Shared is set for a document the operator declares once.
	Shared bool `json:"shared,omitempty"`
}

// Report is the outcome of verifying a container against a record.
type Report struct {
	Files    []File             `json:"files"`
	Findings []registry.Finding `json:"findings"`
}

// Verify checks the ZED container unpacked in dir against the record of d:
// every listed file present once with the recorded SHA-256, no file the
// record does not list, no symbolic link or special file, and the ANS
// templates delivered as CSV following their rules. display is how
// findings name dir. Problems of the container are findings; only a dir
// that cannot be opened at all is an error.
func Verify(ctx context.Context, r *registry.Registry, d *registry.DRIMbox, dir, display string) (*Report, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("opening the container %s: %w", dir, err)
	}
	defer root.Close()
	v := &verifier{root: root, display: display, digester: newDigester(root), byName: map[string][]string{}, listed: map[string]bool{}}
	if err := v.walk(); err != nil {
		return nil, err
	}
	tctx := Context{Subcontracting: d.Dossier.Subcontracting}
	src := d.Source
	if src == nil {
		src = &registry.Source{Path: "record"}
	}
	for _, e := range Entries(r, d) {
		if err := v.check(ctx, src, e, tctx); err != nil {
			return nil, err
		}
	}
	for _, rel := range v.regular {
		if v.listed[rel] {
			continue
		}
		s, err := v.digest(ctx, rel, 0)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			v.add(finding(v.show(rel), 1, 1, RuleRead, "cannot read the file: %v", err))
			continue
		}
		v.add(finding(v.show(rel), 1, 1, RuleUnlisted,
			"the record does not list this file (SHA-256 %s); list it under dossier.documents with its condition and kind, or take it out of the container", s.hex))
	}
	registry.SortFindings(v.report.Findings)
	return &v.report, nil
}

type verifier struct {
	*digester
	root    *os.Root
	display string
	// regular are the regular files' paths, slash-separated; byName
	// indexes them by base name; links are the symbolic links.
	regular []string
	byName  map[string][]string
	links   []string
	listed  map[string]bool
	report  Report
}

func (v *verifier) add(f registry.Finding) { v.report.Findings = append(v.report.Findings, f) }

func (v *verifier) show(rel string) string { return path.Join(v.display, rel) }

// walk lists the container without following links.
func (v *verifier) walk() error {
	return fs.WalkDir(v.root.FS(), ".", func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return fmt.Errorf("reading the container: %w", err)
			}
			v.add(finding(v.show(p), 1, 1, RuleRead, "cannot read: %v", err))
			return nil
		}
		switch t := de.Type(); {
		case p == ".":
		case t&fs.ModeSymlink != 0:
			v.links = append(v.links, p)
			msg := "a symbolic link, which is never followed; put the file itself in the container"
			if target, err := v.root.Readlink(p); err == nil && (filepath.IsAbs(target) || !filepath.IsLocal(path.Join(path.Dir(p), target))) {
				msg = fmt.Sprintf("a symbolic link to %s, outside the container; it is never followed: put the file itself in the container", target)
			}
			v.add(finding(v.show(p), 1, 1, RuleSymlink, "%s", msg))
		case de.IsDir():
		case !t.IsRegular():
			v.add(finding(v.show(p), 1, 1, RuleFileType, "not a regular file (%s); a container holds only files and folders", t.Type()))
		default:
			v.regular = append(v.regular, p)
			v.byName[path.Base(p)] = append(v.byName[path.Base(p)], p)
		}
		return nil
	})
}

// locate finds the file of an entry: at the top of the container, or
// else the one file with that name anywhere in it.
func (v *verifier) locate(src *registry.Source, e Entry) (string, bool) {
	at := func(rule, format string, args ...any) {
		v.add(src.Finding(rule, append(e.Field, "name"), format, args...))
	}
	if e.Name == "" || strings.ContainsAny(e.Name, `/\`) || !filepath.IsLocal(e.Name) {
		at(RulePath, "%s names %q, which is not a plain file name inside the container; it is not looked up", e.What, e.Name)
		return "", false
	}
	if slices.Contains(v.regular, e.Name) {
		return e.Name, true
	}
	switch cands := v.byName[e.Name]; len(cands) {
	case 1:
		return cands[0], true
	case 0:
	default:
		at(RuleAmbiguous, "%s %s appears %d times in the container (%s); keep one copy", e.What, e.Name, len(cands), strings.Join(cands, ", "))
		for _, c := range cands {
			v.listed[c] = true
		}
		return "", false
	}
	if e.Optional {
		return "", false
	}
	hint := "add it to the container"
	for _, l := range v.links {
		if path.Base(l) == e.Name {
			hint = "the container holds a symbolic link of that name (" + l + "); put the file itself"
		}
	}
	for _, rel := range v.regular {
		if strings.EqualFold(path.Base(rel), e.Name) {
			hint = "the container holds " + rel + ", which differs only in case; rename one so they agree"
		}
	}
	at(RuleMissing, "%s %s is not in the container; %s", e.What, e.Name, hint)
	return "", false
}

func (v *verifier) check(ctx context.Context, src *registry.Source, e Entry, tctx Context) error {
	rel, ok := v.locate(src, e)
	if !ok {
		return nil
	}
	v.listed[rel] = true
	tpl, hasTemplate := LookupTemplate(e.Template)
	hasTemplate = hasTemplate && IsCSV(e.Name)
	keep := int64(0)
	if hasTemplate {
		keep = MaxTemplateSize
	}
	var scan *sigScan
	if e.Attestation && strings.EqualFold(pathExt(e.Name), ".pdf") {
		scan = &sigScan{}
	}
	s, err := v.digestScan(ctx, rel, keep, scan)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rule := RuleRead
		if errors.Is(err, errNotRegular) {
			rule = RuleFileType
		}
		v.add(finding(v.show(rel), 1, 1, rule, "cannot read %s: %v", e.What, err))
		return nil
	}
	f := File{Name: e.Name, Path: rel, What: e.What, Size: s.size, SHA256: s.hex, Match: strings.EqualFold(s.hex, e.SHA256), Field: e.Field, Shared: e.Shared}
	if !f.Match {
		v.add(src.Finding(RuleDigest, append(e.Field, "sha256"),
			"%s %s in the container has SHA-256 %s but the record says %s; the container holds another version: send the recorded one, or record the new digest",
			e.What, rel, s.hex, e.SHA256))
	}
	if scan != nil {
		if why := scan.problem(); why != "" {
			v.add(finding(v.show(rel), 1, 1, RuleUnsigned,
				"%s carries no electronic signature (%s); have the operator and the client(s) sign it on a recognised platform or with a TSP certificate (PAdES), then record its new digest", e.What, why))
		}
	}
	if hasTemplate {
		f.Template = tpl.Name
		if s.data == nil {
			v.add(finding(v.show(rel), 1, 1, RuleCSVEncoding, "the file is over %d bytes, too large for the %s template; check that it is the right file", MaxTemplateSize, tpl.Name))
		} else {
			v.report.Findings = append(v.report.Findings, tpl.Check(v.show(rel), s.data, tctx)...)
		}
	}
	v.report.Files = append(v.report.Files, f)
	return nil
}
