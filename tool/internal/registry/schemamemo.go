package registry

import (
	"regexp"
	"regexp/syntax"
	"sync"
	"sync/atomic"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Records repeat the same condition ids, document kinds and names and
// mailbox domains thousands of times, and a regular expression or a
// format checker costs far more than a look-up; both are functions of the
// schema and the string alone. So each schema with a format or a pattern
// remembers its verdicts, up to maxTextVerdicts strings. A schema whose
// values do not repeat (digests, serials) soon stops remembering: there a
// look-up would only add to the check.
const (
	maxTextVerdicts = 4096
	// textTrial is how many strings a schema is checked on before its
	// memory is kept or given up.
	textTrial = 512
)

// textMemo is one schema's remembered verdicts.
type textMemo struct {
	// run, when not nil, decides the pattern without the regular
	// expression engine (see runOf); the format still asks its checker.
	run     *byteRun
	mu      sync.RWMutex
	seen    map[string]bool
	hits    atomic.Int64
	misses  atomic.Int64
	givenUp atomic.Bool
}

// textMemos holds a textMemo per schema (*jsonschema.Schema → *textMemo).
var textMemos sync.Map

// textOK tells whether v passes s's format and pattern, as the schema
// library checks them.
func textOK(s *jsonschema.Schema, v string) bool {
	m := memoOf(s)
	if m.run != nil {
		return (s.Format == "" || jsonschema.Formats[s.Format](v)) && m.run.match(v)
	}
	if m.givenUp.Load() {
		return checkText(s, v)
	}
	m.mu.RLock()
	ok, hit := m.seen[v]
	m.mu.RUnlock()
	if hit {
		m.hits.Add(1)
		return ok
	}
	ok = checkText(s, v)
	if n := m.misses.Add(1); n == textTrial && m.hits.Load() < n {
		m.givenUp.Store(true)
		return ok
	}
	m.mu.Lock()
	if len(m.seen) < maxTextVerdicts {
		m.seen[v] = ok
	}
	m.mu.Unlock()
	return ok
}

func memoOf(s *jsonschema.Schema) *textMemo {
	if m, ok := textMemos.Load(s); ok {
		return m.(*textMemo)
	}
	m, _ := textMemos.LoadOrStore(s, &textMemo{seen: map[string]bool{}, run: runOf(s.Pattern)})
	return m.(*textMemo)
}

// checkText is textOK without the memory.
func checkText(s *jsonschema.Schema, v string) bool {
	if s.Format != "" && !jsonschema.Formats[s.Format](v) {
		return false
	}
	return s.Pattern == nil || s.Pattern.MatchString(v)
}

// byteRun is a pattern of the form ^[class]{min,max}$ whose class holds
// only ASCII characters, as the digests' and serials' are: a string
// matches when it has min to max bytes, each in the class. Bytes are
// runes there, as a byte of 0x80 or above is never in the class (the
// engine reads an invalid byte as U+FFFD, which is not either).
type byteRun struct {
	in       [128]bool
	min, max int // max -1: no bound
}

func (b *byteRun) match(v string) bool {
	if len(v) < b.min || b.max >= 0 && len(v) > b.max {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c >= 128 || !b.in[c] {
			return false
		}
	}
	return true
}

// runOf returns the byteRun a pattern is, or nil.
func runOf(re *regexp.Regexp) *byteRun {
	if re == nil {
		return nil
	}
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil || t.Op != syntax.OpConcat || len(t.Sub) != 3 ||
		t.Sub[0].Op != syntax.OpBeginText || t.Sub[2].Op != syntax.OpEndText {
		return nil
	}
	rep := t.Sub[1]
	var class *syntax.Regexp
	b := &byteRun{}
	switch rep.Op {
	case syntax.OpRepeat:
		b.min, b.max = rep.Min, rep.Max
	case syntax.OpPlus:
		b.min, b.max = 1, -1
	case syntax.OpStar:
		b.min, b.max = 0, -1
	default:
		return nil
	}
	if class = rep.Sub[0]; class.Op != syntax.OpCharClass || b.min < 0 {
		return nil
	}
	for i := 0; i+1 < len(class.Rune); i += 2 {
		lo, hi := class.Rune[i], class.Rune[i+1]
		if lo < 0 || hi >= 128 {
			return nil
		}
		for c := lo; c <= hi; c++ {
			b.in[c] = true
		}
	}
	return b
}
