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

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/listeblanche/xmltext"
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

	src *registry.Source
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
	// RuleNoticeAuthor: a notice speaks for the pull request's author
	// (checked with the change, in package lifecycle).
	RuleNoticeAuthor = "NOTICE-AUTHOR"
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
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	files, err := registry.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	notices, findings := NoticesFromFiles(prefix, files, known)
	return notices, findings, nil
}

// NoticesFromFiles checks notice files, read from a folder or from a git
// tree, whose paths are relative to the notices folder; prefix is the
// folder's path in findings. Nothing there is skipped without a word: a
// file in a subfolder, a symlink or anything but a notice is a finding;
// only an empty .gitkeep may sit beside the notices. It returns the valid
// notices, newest first.
func NoticesFromFiles(prefix string, files []registry.File, known func(id int) bool) ([]*Notice, []registry.Finding) {
	var notices []*Notice
	var findings []registry.Finding
	for _, f := range files {
		shown := path.Join(filepath.ToSlash(prefix), f.Path)
		bad := func(msg string) {
			findings = append(findings, registry.Finding{Path: shown, Line: 1, Col: 1, Rule: RuleNoticeName, Msg: msg})
		}
		switch {
		case f.Path == ".gitkeep" && len(f.Data) == 0 && !f.Symlink && !f.Submodule && !f.Special && !f.Executable:
		case strings.Contains(f.Path, "/"):
			bad("notices live directly in status/notices/, not in subfolders; move it to status/notices/" + path.Base(f.Path) + " or remove it")
		case f.Symlink || f.Submodule || f.Special:
			bad("not a regular file; notices are plain YAML files, replace it with one or remove it")
		case f.Executable:
			bad("a notice is not executable; clear the mode (git update-index --chmod=-x " + shown + ")")
		case f.TooLarge:
			findings = append(findings, registry.Finding{Path: shown, Line: 1, Col: 1, Rule: RuleNoticeYAML,
				Msg: fmt.Sprintf("file is %d bytes, over %d; keep notices short", f.Size, maxNoticeSize)})
		default:
			n, fs := checkNotice(shown, f.Path, f.Data, known)
			findings = append(findings, fs...)
			if n != nil && len(fs) == 0 {
				notices = append(notices, n)
			}
		}
	}
	sort.SliceStable(notices, func(i, j int) bool { return notices[i].Start.After(notices[j].Start) })
	registry.SortFindings(findings)
	return notices, findings
}

// ParseNotice reads one notice file without judging it, for comparing the
// two sides of a change; it returns nil when the file is not a readable
// notice (its findings come from NoticesFromFiles).
func ParseNotice(shown string, data []byte) *Notice {
	var n Notice
	src, fs := registry.DecodeRecord(shown, registry.KindIncident, data, &n)
	if len(fs) > 0 {
		return nil
	}
	n.File, n.src = path.Base(shown), src
	return &n
}

// Finding builds a finding at a field of the notice, such as ("author").
func (n *Notice) Finding(rule string, field []string, format string, args ...any) registry.Finding {
	if n.src == nil {
		return registry.Finding{Path: n.File, Line: 1, Col: 1, Rule: rule, Msg: fmt.Sprintf(format, args...)}
	}
	return n.src.Finding(rule, field, format, args...)
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
	var n Notice
	src, fs := registry.DecodeRecord(shown, registry.KindIncident, data, &n)
	if len(fs) > 0 {
		for i := range fs {
			switch fs[i].Rule {
			case "REG-SCHEMA", "REG-UNKNOWN-FIELD":
				fs[i].Rule = RuleNoticeSchema
			default:
				fs[i].Rule = RuleNoticeYAML
			}
		}
		return nil, fs
	}
	n.File, n.src = name, src
	var out []registry.Finding
	pos := func(path ...string) (int, int) { return src.Pos(path...) }
	if day := n.Start.UTC().Format(dayLayout); day != m[1] {
		out = append(out, at(1, 1, RuleNoticeName, "file name starts with %s but the notice starts on %s (UTC); rename the file", m[1], day))
	}
	if !n.End.IsZero() && !n.End.After(n.Start) {
		l, c := pos("end")
		out = append(out, at(l, c, RuleNoticeDates, "end %s is not after start %s", n.End.Format(time.RFC3339), n.Start.Format(time.RFC3339)))
	}
	for i := 1; i < len(n.Updates); i++ {
		if n.Updates[i].Time.Before(n.Updates[i-1].Time) {
			l, c := pos("updates", strconv.Itoa(i), "time")
			out = append(out, at(l, c, RuleNoticeDates, "updates must be in time order, oldest first"))
		}
	}
	if msg := xmltext.Problem(n.Title, 0); msg != "" {
		l, c := pos("title")
		out = append(out, at(l, c, RuleNoticeSchema, "the title is published on the weather page and in its feed, but %s", strings.TrimPrefix(msg, "the value ")))
	}
	for i, u := range n.Updates {
		if msg := xmltext.ParagraphProblem(u.Text); msg != "" {
			l, c := pos("updates", strconv.Itoa(i), "text")
			out = append(out, at(l, c, RuleNoticeSchema, "the text is published on the weather page and in its feed, but %s", strings.TrimPrefix(msg, "the value ")))
		}
	}
	if known != nil {
		for i, id := range n.DRIMboxes {
			if !known(id) {
				l, c := pos("drimboxes", strconv.Itoa(i))
				out = append(out, at(l, c, RuleNoticeDRIMbox, "no DRIMbox %d in the registry; list Identifiants of registered DRIMboxes", id))
			}
		}
	}
	return &n, out
}
