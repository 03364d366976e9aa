package site

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
)

// boxView is what a DRIMbox's page is rendered from.
func boxView(v *view, b *box) *view {
	id := strconv.Itoa(b.ID)
	bv := *v
	bv.Box, bv.Root, bv.Page = b, "../", "drimbox/"+id+".html"
	bv.Title = "DRIMbox " + id + " — Météo des DRIMbox"
	bv.Feed, bv.FeedTitle = boxFeed(b.ID), "Changements d'état et incidents du DRIMbox "+id
	bv.Notices = nil
	for _, n := range b.Notices {
		bv.Notices = append(bv.Notices, noticeView{N: n, Active: n.Active(v.Now) || n.Start.After(v.Now), Root: "../"})
	}
	return &bv
}

// frameID stands for the Identifiant in the head and foot rendered once.
// No DRIMbox has it: Identifiants are far smaller.
const frameID = 9876543210123

// boxFrame renders a DRIMbox page as the "box" template does, with its
// head and foot rendered once for all: they differ from one DRIMbox to
// the next only by its Identifiant, in decimal digits, which no HTML,
// attribute or URL escaping changes. The head and foot are a third of
// the template work of a page.
type boxFrame struct {
	t *template.Template
	// head and foot split at frameID's digits; nil renders "box".
	head, foot []string
}

// newBoxFrame renders the head and foot once and checks the result
// against the first DRIMbox's page rendered the slow way; on a
// difference, every page is rendered the slow way.
func newBoxFrame(t *template.Template, v *view) (*boxFrame, error) {
	f := &boxFrame{t: t}
	if len(v.Boxes) == 0 {
		return f, nil
	}
	fv := boxView(v, &box{ID: frameID})
	fv.Notices = nil
	head, foot, err := f.parts(fv)
	if err != nil {
		return nil, err
	}
	sentinel := strconv.Itoa(frameID)
	f.head, f.foot = strings.Split(head, sentinel), strings.Split(foot, sentinel)
	var fast, slow bytes.Buffer
	first := boxView(v, v.Boxes[0])
	if err := f.render(&fast, first); err != nil {
		return nil, err
	}
	if err := t.ExecuteTemplate(&slow, "box", first); err != nil {
		return nil, err
	}
	if !bytes.Equal(fast.Bytes(), slow.Bytes()) {
		f.head, f.foot = nil, nil
	}
	return f, nil
}

func (f *boxFrame) parts(pv *view) (head, foot string, err error) {
	var b strings.Builder
	if err := f.t.ExecuteTemplate(&b, "head", pv); err != nil {
		return "", "", err
	}
	head = b.String()
	b.Reset()
	if err := f.t.ExecuteTemplate(&b, "foot", pv); err != nil {
		return "", "", err
	}
	return head, b.String(), nil
}

func (f *boxFrame) render(buf *bytes.Buffer, bv *view) error {
	if f.head == nil {
		return f.t.ExecuteTemplate(buf, "box", bv)
	}
	id := strconv.Itoa(bv.Box.ID)
	join(buf, f.head, id)
	if err := f.t.ExecuteTemplate(buf, "boxbody", bv); err != nil {
		return err
	}
	join(buf, f.foot, id)
	return nil
}

func join(buf *bytes.Buffer, parts []string, id string) {
	for i, p := range parts {
		if i > 0 {
			buf.WriteString(id)
		}
		buf.WriteString(p)
	}
}
