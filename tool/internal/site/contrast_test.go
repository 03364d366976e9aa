package site

import (
	"math"
	"regexp"
	"strconv"
	"testing"
)

// luminance is the WCAG relative luminance of a #rrggbb or #rgb colour.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	h := hex[1:]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	var c [3]float64
	for i := range c {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		s := float64(v) / 255
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// TestContrast checks WCAG 2.1 AA: every state colour carries white text
// at 4.5:1 and stands out from the page; every text colour of the style
// sheet reads at 4.5:1 on the lightest and darkest backgrounds it meets.
func TestContrast(t *testing.T) {
	for state, c := range stateColours {
		if r := contrast(t, c, "#ffffff"); r < 4.5 {
			t.Errorf("state %s colour %s: %.2f:1 against white, want 4.5:1", state, c, r)
		}
	}
	colourRe := regexp.MustCompile(`[^-]color: (#[0-9a-fA-F]{3,6})`)
	found := colourRe.FindAllStringSubmatch(string(styleCSS), -1)
	if len(found) < 5 {
		t.Fatalf("found %d text colours in style.css", len(found))
	}
	for _, m := range found {
		for _, bg := range []string{"#ffffff", "#f6f6f6", "#eeeeee"} {
			if r := contrast(t, m[1], bg); r < 4.5 && m[1] != "#fff" {
				t.Errorf("text colour %s on %s: %.2f:1, want 4.5:1", m[1], bg, r)
			}
		}
	}
}
