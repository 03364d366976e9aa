package plan

import "fmt"

// Hint says what to do for the approval to be met, for people reading the
// approval check's error.
func (a Approval) Hint() string {
	who := "an ANS reviewer"
	if a.Team != "" {
		who += " (" + a.Team + ")"
	}
	if a.AuthorIsReviewer {
		who += " other than the author"
	}
	switch {
	case a.Met():
		return ""
	case !a.Known:
		return "the reviews could not be read: check GITHUB_TOKEN (pull-requests: read) and run the check again"
	case len(a.Blocking) > 0:
		return fmt.Sprintf("address the changes %s requested, push, and ask for a new review of the head commit", mentions(a.Blocking))
	case len(a.missingConsents()) > 0:
		c := a.missingConsents()[0]
		return fmt.Sprintf("ask one of operator %s's maintainers (%s) to approve the head commit, or an ANS reviewer to make the switch; then re-run the approval job",
			c.Operator, mentions(others(c.Maintainers, a.Author)))
	case len(a.Stale) > 0:
		return fmt.Sprintf("a new commit dismissed the earlier approval: ask %s to approve the head commit, then re-run the approval job", who)
	}
	return fmt.Sprintf("ask %s to approve the head commit; the approval job runs again on the review", who)
}
