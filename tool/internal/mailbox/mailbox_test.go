package mailbox

import "testing"

func TestProblem(t *testing.T) {
	for v, ok := range map[string]bool{
		"support@op.example": true, "pacs.support@op.example": true, "06 12 34 56 78": false, "+33612345678": false,
		"": false, "Support <a@b.example>": false, "a@b": false, "SUPPORT@OP.EXAMPLE": false, "support.drimbox@gmail.com": false,
	} {
		if got := Problem(v) == ""; got != ok {
			t.Errorf("mailboxProblem(%q) ok = %v, want %v", v, got, ok)
		}
	}
}
