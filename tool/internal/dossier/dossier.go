// Package dossier checks an integration dossier against what actually
// travelled in its ZED container: every document the record lists is there
// with the recorded SHA-256, nothing else is, and the three ANS templates
// delivered as CSV (RACI matrix, escalation matrix, flow matrix) say what
// the trust space needs them to say. It also orders what a record still
// lacks into the checklist an operator works through.
//
// The container is only read: symbolic links and special files are
// reported, never followed or opened, and digests are streamed so that a
// document of any size costs a fixed amount of memory.
package dossier

import (
	"fmt"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// Finding rule identifiers for the container.
const (
	RuleMissing   = "ZED-MISSING"
	RuleDigest    = "ZED-DIGEST"
	RuleUnlisted  = "ZED-UNLISTED"
	RuleSymlink   = "ZED-SYMLINK"
	RuleFileType  = "ZED-FILETYPE"
	RulePath      = "ZED-PATH"
	RuleAmbiguous = "ZED-AMBIGUOUS"
	RuleRead      = "ZED-READ"
)

// finding builds a finding at a position of a file.
func finding(path string, line, col int, rule, format string, args ...any) registry.Finding {
	return registry.Finding{Path: path, Line: max(line, 1), Col: max(col, 1), Rule: rule, Msg: fmt.Sprintf(format, args...)}
}
