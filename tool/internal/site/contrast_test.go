package site

import (
	"math"
	"regexp"
	"strconv"
	"strings"
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

// palette reads the custom properties of the first block of css that
// starts with open.
func palette(t *testing.T, css, open string) map[string]string {
	t.Helper()
	i := strings.Index(css, open)
	if i < 0 {
		t.Fatalf("style.css lacks %q", open)
	}
	block := css[i : i+strings.Index(css[i:], "}")]
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z-]+): (#[0-9a-fA-F]{3,6})`).FindAllStringSubmatch(block, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// TestContrast checks WCAG 2.1 AA: every state colour carries white text
// at 4.5:1; in the light and the dark palette every text colour reads at
// 4.5:1 on every background it meets, and the lines and bars stand out
// at 3:1 from the page.
func TestContrast(t *testing.T) {
	for state, c := range stateColours {
		if r := contrast(t, c, "#ffffff"); r < 4.5 {
			t.Errorf("state %s colour %s: %.2f:1 against white, want 4.5:1", state, c, r)
		}
	}
	css := string(styleCSS)
	if strings.Contains(css, "16px/") || regexp.MustCompile(`body \{[^}]*font-size: *\d+px`).MatchString(css) {
		t.Errorf("style.css sets the body's font size in pixels: it must follow the reader's")
	}
	for scheme, open := range map[string]string{"light": ":root {", "dark": "@media (prefers-color-scheme: dark) {"} {
		p := palette(t, css, open)
		texts := []string{"text", "soft", "muted", "link", "ok", "ko", "warn"}
		graphics := []string{"axis", "bar-up", "bar-degraded", "bar-down", "bar-unknown", "bar-nodata"}
		for _, name := range append(append(texts, graphics...), "bg", "panel", "head", "on-link") {
			if p[name] == "" {
				t.Fatalf("%s palette lacks --%s", scheme, name)
			}
		}
		for _, fg := range texts {
			for _, bg := range []string{"bg", "panel", "head"} {
				if r := contrast(t, p[fg], p[bg]); r < 4.5 {
					t.Errorf("%s: --%s %s on --%s %s: %.2f:1, want 4.5:1", scheme, fg, p[fg], bg, p[bg], r)
				}
			}
		}
		if r := contrast(t, p["on-link"], p["link"]); r < 4.5 {
			t.Errorf("%s: button text on --link: %.2f:1, want 4.5:1", scheme, r)
		}
		for _, g := range graphics {
			if r := contrast(t, p[g], p["bg"]); r < 3 {
				t.Errorf("%s: --%s %s on the page %s: %.2f:1, want 3:1", scheme, g, p[g], p["bg"], r)
			}
		}
	}
}
