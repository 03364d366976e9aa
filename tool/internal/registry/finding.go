package registry

import (
	"cmp"
	"fmt"
	"slices"
)

// A Finding is one problem found in the registry or in a change to it. It
// points at a file position so that editors and CI annotations can show it
// on the right line, and its message says what to do.
type Finding struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Rule string `json:"rule"`
	Msg  string `json:"message"`
}

// Error makes a Finding usable as an error.
func (f *Finding) Error() string { return f.String() }

// String formats the finding as path:line:col: RULE-ID: message.
func (f *Finding) String() string {
	line, col := max(f.Line, 1), max(f.Col, 1)
	return fmt.Sprintf("%s:%d:%d: %s: %s", f.Path, line, col, f.Rule, f.Msg)
}

// SortFindings orders findings by path, position, then rule, so output is
// stable from run to run.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
}
