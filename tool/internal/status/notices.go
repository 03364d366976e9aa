package status

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Notice is an incident or maintenance record (schemas/incident.schema.json).
type Notice struct {
	// File is the record's file name, which identifies it.
	File      string    `yaml:"-" json:"file"`
	Kind      string    `yaml:"kind" json:"kind"`
	Title     string    `yaml:"title" json:"title"`
	Author    string    `yaml:"author" json:"author"`
	DRIMboxes []int     `yaml:"drimboxes" json:"drimboxes,omitempty"`
	Impact    string    `yaml:"impact" json:"impact,omitempty"`
	Start     time.Time `yaml:"start" json:"start"`
	End       time.Time `yaml:"end" json:"end,omitzero"`
	Updates   []Update  `yaml:"updates" json:"updates"`
}

// Update is one public message of a notice.
type Update struct {
	Time  time.Time `yaml:"time" json:"time"`
	State string    `yaml:"state" json:"state,omitempty"`
	Text  string    `yaml:"text" json:"text"`
}

// Concerns tells whether the notice applies to DRIMbox id.
func (n *Notice) Concerns(id int) bool {
	if len(n.DRIMboxes) == 0 {
		return true
	}
	for _, d := range n.DRIMboxes {
		if d == id {
			return true
		}
	}
	return false
}

// Active tells whether the notice is in force at t.
func (n *Notice) Active(t time.Time) bool {
	return !t.Before(n.Start) && (n.End.IsZero() || t.Before(n.End))
}

// Rules of the notice findings.
const (
	RuleNoticeYAML    = "NOTICE-YAML"
	RuleNoticeSchema  = "NOTICE-SCHEMA"
	RuleNoticeName    = "NOTICE-NAME"
	RuleNoticeDates   = "NOTICE-DATES"
	RuleNoticeDRIMbox = "NOTICE-DRIMBOX"
)

const maxNoticeSize = 64 << 10

var noticeNameRe = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})-[a-z0-9]+(-[a-z0-9]+)*\.yaml$`)

// ValidateNotices checks every record in dir (status/notices): YAML,
// schema, file name, dates, and, when known is not nil, that each
// Identifiant names a DRIMbox of the registry. Finding paths are prefix
// joined with the file name. A missing dir has no findings; an unreadable
// one is an error.
func ValidateNotices(dir, prefix string, known func(id int) bool) ([]registry.Finding, error) {
	_, findings, err := LoadNotices(dir, prefix, known)
	return findings, err
}

// LoadNotices reads and checks the records in dir and returns the valid ones,
// sorted by start, newest first.
func LoadNotices(dir, prefix string, known func(id int) bool) ([]*Notice, []registry.Finding, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	var notices []*Notice
	var findings []registry.Finding
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || e.IsDir() {
			continue
		}
		shown := path.Join(filepath.ToSlash(prefix), name)
		if !e.Type().IsRegular() {
			findings = append(findings, registry.Finding{Path: shown, Line: 1, Col: 1, Rule: RuleNoticeName, Msg: "not a regular file; notices are plain YAML files"})
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, nil, fmt.Errorf("reading %s: %w", shown, err)
		}
		n, fs := checkNotice(shown, name, data, known)
		findings = append(findings, fs...)
		if n != nil && len(fs) == 0 {
			notices = append(notices, n)
		}
	}
	sort.SliceStable(notices, func(i, j int) bool { return notices[i].Start.After(notices[j].Start) })
	registry.SortFindings(findings)
	return notices, findings, nil
}

func checkNotice(shown, name string, data []byte, known func(int) bool) (*Notice, []registry.Finding) {
	at := func(line, col int, rule, format string, args ...any) registry.Finding {
		return registry.Finding{Path: shown, Line: line, Col: col, Rule: rule, Msg: fmt.Sprintf(format, args...)}
	}
	m := noticeNameRe.FindStringSubmatch(name)
	if m == nil {
		return nil, []registry.Finding{at(1, 1, RuleNoticeName, "file name %q is not YYYY-MM-DD-<words-in-lower-case>.yaml; rename it after the start day and a few words", name)}
	}
	if len(data) > maxNoticeSize {
		return nil, []registry.Finding{at(1, 1, RuleNoticeYAML, "file is %d bytes, over %d; keep notices short", len(data), maxNoticeSize)}
	}
	if !utf8.Valid(data) {
		return nil, []registry.Finding{at(1, 1, RuleNoticeYAML, "file is not UTF-8; save it as UTF-8")}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, []registry.Finding{at(yamlLine(err), 1, RuleNoticeYAML, "malformed YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, []registry.Finding{at(1, 1, RuleNoticeYAML, "a notice is a YAML mapping of fields; see schemas/incident.schema.json")}
	}
	doc := root.Content[0]
	value, bad := plain(doc)
	if bad != nil {
		return nil, []registry.Finding{at(bad.Line, bad.Column, RuleNoticeYAML, "anchors, aliases, merge keys and duplicate keys are not allowed; write values out in full")}
	}
	sch, err := noticeSchema()
	if err != nil {
		return nil, []registry.Finding{at(1, 1, RuleNoticeSchema, "%v", err)}
	}
	if err := sch.Validate(value); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, []registry.Finding{at(1, 1, RuleNoticeSchema, "%v", err)}
		}
		var out []registry.Finding
		for _, leaf := range leafErrors(ve) {
			n := nodeAt(doc, leaf.InstanceLocation)
			where := strings.TrimPrefix(strings.ReplaceAll(leaf.InstanceLocation, "/", "."), ".")
			if where == "" {
				where = "the notice"
			}
			out = append(out, at(n.Line, n.Column, RuleNoticeSchema, "%s: %s; see schemas/incident.schema.json", where, leaf.Message))
		}
		return nil, out
	}
	var n Notice
	if err := doc.Decode(&n); err != nil {
		return nil, []registry.Finding{at(doc.Line, doc.Column, RuleNoticeSchema, "%v", err)}
	}
	n.File = name
	var out []registry.Finding
	pos := func(ptr string) (int, int) { x := nodeAt(doc, ptr); return x.Line, x.Column }
	if day := n.Start.UTC().Format(dayLayout); day != m[1] {
		out = append(out, at(1, 1, RuleNoticeName, "file name starts with %s but the notice starts on %s (UTC); rename the file", m[1], day))
	}
	if !n.End.IsZero() && !n.End.After(n.Start) {
		l, c := pos("/end")
		out = append(out, at(l, c, RuleNoticeDates, "end %s is not after start %s", n.End.Format(time.RFC3339), n.Start.Format(time.RFC3339)))
	}
	for i := 1; i < len(n.Updates); i++ {
		if n.Updates[i].Time.Before(n.Updates[i-1].Time) {
			l, c := pos("/updates/" + strconv.Itoa(i) + "/time")
			out = append(out, at(l, c, RuleNoticeDates, "updates must be in time order, oldest first"))
		}
	}
	if known != nil {
		for i, id := range n.DRIMboxes {
			if !known(id) {
				l, c := pos("/drimboxes/" + strconv.Itoa(i))
				out = append(out, at(l, c, RuleNoticeDRIMbox, "no DRIMbox %d in the registry; list Identifiants of registered DRIMboxes", id))
			}
		}
	}
	return &n, out
}
