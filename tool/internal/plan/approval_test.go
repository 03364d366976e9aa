package plan

import (
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

func TestTally(t *testing.T) {
	rv := registry.Reviewers{Team: "@ans-drim-m/reviewers", Logins: []string{"ans-a", "ans-b", "ans-c"}}
	const head, old = "h", "o"
	tests := []struct {
		name                      string
		author                    string
		reviews                   []Review
		approved, stale, blocking []string
		met                       bool
	}{
		{"no reviews", "op", nil, nil, nil, nil, false},
		{"approved on head", "op", []Review{{"ans-a", "APPROVED", head}}, []string{"ans-a"}, nil, nil, true},
		{"a comment keeps the approval", "op", []Review{{"ans-a", "APPROVED", head}, {"ans-a", "COMMENTED", head}}, []string{"ans-a"}, nil, nil, true},
		{"approval of an older commit", "op", []Review{{"ans-a", "APPROVED", old}}, nil, []string{"ans-a"}, nil, false},
		{"changes requested after approval", "op", []Review{{"ans-a", "APPROVED", head}, {"ANS-A", "CHANGES_REQUESTED", head}}, nil, nil, []string{"ANS-A"}, false},
		{"one approves, another blocks", "op", []Review{{"ans-a", "APPROVED", head}, {"ans-b", "CHANGES_REQUESTED", head}}, []string{"ans-a"}, nil, []string{"ans-b"}, false},
		{"dismissed approval", "op", []Review{{"ans-a", "APPROVED", head}, {"ans-a", "DISMISSED", head}}, nil, nil, nil, false},
		{"operators do not count", "op", []Review{{"op-other", "APPROVED", head}}, nil, nil, nil, false},
		{"the author's own review does not count", "ans-c", []Review{{"ans-c", "APPROVED", head}}, nil, nil, nil, false},
		{"another reviewer approves the author's change", "ans-c", []Review{{"ans-c", "APPROVED", head}, {"ans-b", "APPROVED", head}}, []string{"ans-b"}, nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, s, b := tally(tt.reviews, rv, tt.author, head)
			if diff := cmp.Diff([][]string{tt.approved, tt.stale, tt.blocking}, [][]string{a, s, b}); diff != "" {
				t.Fatalf("approved, stale, blocking (-want +got):\n%s", diff)
			}
			ap := Approval{Known: true, Approved: a, Stale: s, Blocking: b}
			if ap.Met() != tt.met {
				t.Fatalf("Met() = %v", ap.Met())
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := map[string]string{
		"support@alpha.example":          "support@alpha.example",
		"@everyone please":               "&#64;everyone please",
		"cc @ans-reviewer":               "cc &#64;ans-reviewer",
		"<script>x</script>":             "&lt;script&gt;x&lt;/script&gt;",
		"[click](http://x)":              "\\[click\\](http://x)",
		"a | b\nc":                       "a \\| b c",
		"**gras** _it_ `code` # titre ~": "\\*\\*gras\\*\\* \\_it\\_ \\`code\\` \\# titre \\~",
	}
	for in, want := range tests {
		if got := text(in); got != want {
			t.Errorf("text(%q) = %q, want %q", in, got, want)
		}
	}
	if got := code("a`b|c\nd"); got != "`a'b\\|c d`" {
		t.Errorf("code = %q", got)
	}
}

// TestInvisibleShows: a character that shows nothing is named in the plan,
// so that a change made only of them (a zero-width space appended to a
// PACS label, a Hangul filler) does not read as no change to a reviewer.
func TestInvisibleShows(t *testing.T) {
	tests := map[string]string{
		"PACS\u2060 principal\u200b": "PACS⟨U+2060⟩ principal⟨U+200B⟩",
		"ALPHA\u3164":                "ALPHA⟨U+3164⟩",
		"a\u202eb\ufe0f":             "a⟨U+202E⟩b⟨U+FE0F⟩",
		"Côte-d'Or (21)":             "Côte-d'Or (21)",
	}
	for in, want := range tests {
		if got := text(in); got != want {
			t.Errorf("text(%q) = %q, want %q", in, got, want)
		}
		if got := code(in); got != "`"+want+"`" {
			t.Errorf("code(%q) = %q, want %q", in, got, "`"+want+"`")
		}
	}
}

// FuzzText checks that no value from a record can escape its place in the
// plan: no line break, no HTML, no mention.
func FuzzText(f *testing.F) {
	for _, s := range []string{"support@alpha.example", "@everyone", "<img src=x onerror=alert(1)>", "a\nb|c", "[x](javascript:alert(1))", "é@@ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := text(s)
		if strings.ContainsAny(out, "\n\r<>") {
			t.Fatalf("text(%q) = %q keeps a line break or an angle bracket", s, out)
		}
		rs := []rune(out)
		for i, r := range rs {
			if r == '@' && (i == 0 || !unicode.IsLetter(rs[i-1]) && !unicode.IsDigit(rs[i-1])) {
				t.Fatalf("text(%q) = %q can mention someone", s, out)
			}
		}
		for _, r := range out {
			if invisible(r) {
				t.Fatalf("text(%q) = %q holds the invisible %U", s, out, r)
			}
		}
		if c := code(s); strings.Count(c, "`") != 2 || strings.ContainsAny(c, "\n\r") {
			t.Fatalf("code(%q) = %q does not stay one code span", s, c)
		}
	})
}
