package registry

import (
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
	m, _ := textMemos.LoadOrStore(s, &textMemo{seen: map[string]bool{}})
	return m.(*textMemo)
}

// checkText is textOK without the memory.
func checkText(s *jsonschema.Schema, v string) bool {
	if s.Format != "" && !jsonschema.Formats[s.Format](v) {
		return false
	}
	return s.Pattern == nil || s.Pattern.MatchString(v)
}
