package site

import (
	"bytes"
	"testing"
)

// TestBoxFrame checks that a DRIMbox page rendered with the head and foot
// made once is, byte for byte, the page the "box" template renders, on
// the fixture and on hostile values in every field, and that the head
// and foot made once are what boxes uses (not the slow way after a
// difference).
func TestBoxFrame(t *testing.T) {
	hostile := map[int]Info{
		1: {OperatorID: evil, Operator: evil, PACS: map[string]string{evil: evil}, Support: evil, Contacts: []Contact{{evil, evil}}},
	}
	for _, c := range []struct {
		name string
		opts Options
	}{
		{"fixture", Options{Data: fixture(t), Notices: fixtureNotices(), Infos: fixtureInfos(), Now: buildTime}},
		{"hostile", Options{Data: hostileData(t), Notices: hostileNotices(), Infos: hostile, Now: buildTime, Days: 7, BaseURL: "https://meteo.example"}},
	} {
		v, _, _, err := newView(c.opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Boxes) < 2 {
			t.Fatalf("%s: %d DRIMboxes, want several", c.name, len(v.Boxes))
		}
		tmpl := parseTemplates()
		f, err := newBoxFrame(tmpl, v)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.head) < 2 || len(f.foot) < 2 {
			t.Fatalf("%s: the head and foot made once are not used (head in %d parts, foot in %d)", c.name, len(f.head), len(f.foot))
		}
		for _, b := range v.Boxes {
			var fast, slow bytes.Buffer
			bv := boxView(v, b)
			if err := f.render(&fast, bv); err != nil {
				t.Fatal(err)
			}
			if err := tmpl.ExecuteTemplate(&slow, "box", bv); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(fast.Bytes(), slow.Bytes()) {
				t.Errorf("%s: DRIMbox %d: the page differs from the box template's:\n%s\n---\n%s", c.name, b.ID, fast.Bytes(), slow.Bytes())
			}
		}
	}
}
