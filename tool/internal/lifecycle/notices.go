package lifecycle

import (
	"strconv"

	"github.com/drim-m/trust-space/tool/internal/registry"
	"github.com/drim-m/trust-space/tool/internal/status"
)

// NoticeChange is an incident or maintenance notice the change adds,
// modifies or deletes, as read on each side (nil where the file is absent
// or is not a readable notice).
type NoticeChange struct {
	Path       string
	Base, Head *status.Notice
}

// AuthorANS is the author of the notices the ANS publishes.
const AuthorANS = "ans"

// CheckNotices binds notices to the pull request's author: a notice signed
// author: ans comes from an ANS reviewer only; an operator's maintainers
// publish, change or remove notices signed with their operator, about
// their operator's DRIMboxes only; anyone else publishes none. Both sides
// of a modified notice are checked, so that nobody rewrites or removes
// another's notice. Authority is read from the base revision.
func (c *Change) CheckNotices(ncs []NoticeChange) []registry.Finding {
	if c.Author == "" || c.isReviewer() {
		return nil
	}
	var out []registry.Finding
	for _, nc := range ncs {
		if nc.Head != nil {
			out = append(out, c.checkNotice(nc.Path, nc.Head, "publish")...)
		}
		if nc.Base != nil && (nc.Head == nil || nc.Base.Author != nc.Head.Author) {
			if fs := c.checkNotice(nc.Path, nc.Base, "change or remove"); len(fs) > 0 {
				out = append(out, fileFinding(nc.Path, status.RuleNoticeAuthor,
					"this notice was published by %s; %s may not change or remove it: restore it, or ask its author or the ANS", nc.Base.Author, c.Author))
			}
		}
	}
	return out
}

func (c *Change) checkNotice(shown string, n *status.Notice, verb string) []registry.Finding {
	at := func(field []string, format string, args ...any) registry.Finding {
		f := n.Finding(status.RuleNoticeAuthor, field, format, args...)
		f.Path = shown
		return f
	}
	if n.Author == AuthorANS {
		return []registry.Finding{at([]string{"author"},
			"author: ans is for notices the ANS publishes, and %s is not an ANS reviewer; set author to your operator's folder name, or ask the ANS to %s it", c.Author, verb)}
	}
	if !c.maintains(n.Author) {
		return []registry.Finding{at([]string{"author"},
			"%s is not a maintainer of operator %s and may not %s its notices; a notice speaks for its author: set author to your own operator's folder name", c.Author, n.Author, verb)}
	}
	if len(n.DRIMboxes) == 0 {
		return []registry.Finding{at([]string{"author"},
			"a notice without drimboxes concerns the whole trust space, which only the ANS announces; list the Identifiants of your operator's DRIMboxes it concerns")}
	}
	var out []registry.Finding
	for i, id := range n.DRIMboxes {
		if op := c.operatorOf(id); op != n.Author {
			out = append(out, at([]string{"drimboxes", strconv.Itoa(i)},
				"DRIMbox %d is not operated by %s; a notice of %s lists only its own DRIMboxes, remove %d", id, n.Author, n.Author, id))
		}
	}
	return out
}

// operatorOf is the operator of a DRIMbox as the base revision records
// it, or as the head does for a DRIMbox the change declares.
func (c *Change) operatorOf(id int) string {
	if d := c.Base.DRIMbox(id); d != nil {
		return d.Operator
	}
	if d := c.Head.DRIMbox(id); d != nil {
		return d.Operator
	}
	return ""
}
