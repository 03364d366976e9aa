package site

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// cssLuminance is the WCAG relative luminance of a computed colour,
// "rgb(r, g, b)" or "rgba(r, g, b, a)".
func cssLuminance(t *testing.T, c string) float64 {
	t.Helper()
	m := regexp.MustCompile(`^rgba?\((\d+), (\d+), (\d+)`).FindStringSubmatch(c)
	if m == nil {
		t.Fatalf("colour %q is not rgb()", c)
	}
	var l [3]float64
	for i := range l {
		v, _ := strconv.Atoi(m[i+1])
		s := float64(v) / 255
		if s <= 0.03928 {
			l[i] = s / 12.92
		} else {
			l[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

func cssContrast(t *testing.T, a, b string) float64 {
	la, lb := cssLuminance(t, a), cssLuminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// chartColours reads, in the page, the background behind the chart and
// the colours its parts are painted with.
const chartColours = `(function(){
var cs=function(sel,prop){var e=document.querySelector(sel);return e?getComputedStyle(e)[prop]:"missing "+sel;};
var bg=function(e){for(;e;e=e.parentElement){var c=getComputedStyle(e).backgroundColor;if(c!=="rgba(0, 0, 0, 0)"&&c!=="transparent")return c;}return "rgb(255, 255, 255)";};
return {bg:bg(document.querySelector("svg.chart")), text:cs("svg.chart text","fill"), axis:cs("svg.chart .axis","stroke"),
 p50:cs("svg.chart .p50","stroke"), p95:cs("svg.chart .p95","stroke"),
 keyP50:cs(".key.p50","borderTopColor"), keyP95:cs(".key.p95","borderTopColor"),
 body:cs("body","color"), bodyBg:bg(document.body), link:cs("main a","color")};
})()`

type paint struct{ Bg, Text, Axis, P50, P95, KeyP50, KeyP95, Body, BodyBg, Link string }

// visiblePixels counts the pixels of the screenshot of the element sel
// (the first one) that stand out at 3:1 from bg.
func visiblePixels(t *testing.T, d *devtools, sel, bg string) int {
	t.Helper()
	var r struct{ X, Y, W, H float64 }
	d.eval(`(function(){var b=document.querySelector(`+strconv.Quote(sel)+`).getBoundingClientRect();return {x:b.left+scrollX,y:b.top+scrollY,w:b.width,h:b.height};})()`, &r)
	var res struct{ Data string }
	d.call(d.session, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": r.X - 1, "y": r.Y - 1, "width": r.W + 2, "height": r.H + 2, "scale": 1}}, &res)
	data, err := base64.StdEncoding.DecodeString(res.Data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	lb := cssLuminance(t, bg)
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			l := cssLuminance(t, "rgb("+strconv.Itoa(int(cr>>8))+", "+strconv.Itoa(int(cg>>8))+", "+strconv.Itoa(int(cb>>8))+")")
			if (math.Max(l, lb)+0.05)/(math.Min(l, lb)+0.05) >= 3 {
				n++
			}
		}
	}
	return n
}

// TestChartColours renders a DRIMbox page and the index in headless
// Chromium in the light scheme, the dark scheme and forced colours (dark
// and light, as Windows' contrast themes do), and checks the chart's text,
// axes, lines and legend against the background they are drawn on: by
// their computed colours and by the pixels of a screenshot of each.
func TestChartColours(t *testing.T) {
	out := buildFixture(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	d := newDevtools(t, 1000, 800)
	modes := []struct {
		name  string
		media map[string]string
	}{
		{"light", map[string]string{"prefers-color-scheme": "light", "forced-colors": "none"}},
		{"dark", map[string]string{"prefers-color-scheme": "dark", "forced-colors": "none"}},
		{"forced dark", map[string]string{"prefers-color-scheme": "dark", "forced-colors": "active"}},
		{"forced light", map[string]string{"prefers-color-scheme": "light", "forced-colors": "active"}},
	}
	for _, m := range modes {
		d.media(m.media)
		// DRIMbox 2's chart has lines (two days in a row with figures).
		for _, page := range []string{"/drimbox/2.html", "/index.html"} {
			d.navigate(srv.URL + page)
			var p paint
			d.eval(chartColours, &p)
			check := func(what, fg, bg string, min float64) {
				if r := cssContrast(t, fg, bg); r < min {
					t.Errorf("%s, %s: %s %s on %s: %.2f:1, want %.1f:1", m.name, page, what, fg, bg, r, min)
				}
			}
			check("body text", p.Body, p.BodyBg, 4.5)
			check("link", p.Link, p.BodyBg, 4.5)
			check("chart text", p.Text, p.Bg, 4.5)
			check("chart axis", p.Axis, p.Bg, 3)
			check("median line", p.P50, p.Bg, 3)
			check("95th percentile line", p.P95, p.Bg, 3)
			check("legend key of the median", p.KeyP50, p.BodyBg, 3)
			check("legend key of the 95th percentile", p.KeyP95, p.BodyBg, 3)
			for sel, min := range map[string]int{"svg.chart text": 10, "svg.chart .axis": 100, "svg.chart .p50": 100, "svg.chart .p95": 100, ".key.p50": 10} {
				if n := visiblePixels(t, d, sel, p.Bg); n < min {
					t.Errorf("%s, %s: the screenshot of %s has %d pixels that stand out from the background, want %d", m.name, page, sel, n, min)
				}
			}
		}
		if m.name == "forced dark" {
			saveShot(t, "index-forced-dark.png", d.screenshot())
		}
	}
}

// saveShot keeps a screenshot under testdata/screenshots with -update.
func saveShot(t *testing.T, name string, data []byte) {
	t.Helper()
	if !*update {
		return
	}
	os.MkdirAll(filepath.Join("testdata", "screenshots"), 0o755)
	if err := os.WriteFile(filepath.Join("testdata", "screenshots", name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFontSize renders a DRIMbox page with the browser's default font
// size and with twice that (a reader's setting), and checks that the text
// grew with it and that the screenshot shows a longer page.
func TestFontSize(t *testing.T) {
	out := buildFixture(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	d := newDevtools(t, 1000, 800)
	type sizes struct{ Body, H1, St, Td, Para, Doc float64 }
	measure := func(standard int) (sizes, image.Image) {
		d.do("Page.setFontSizes", map[string]any{"fontSizes": map[string]any{"standard": standard, "fixed": standard * 13 / 16}})
		d.navigate(srv.URL + "/drimbox/3.html")
		var s sizes
		d.eval(`(function(){var h=function(s){return document.querySelector(s).getBoundingClientRect().height;};
return {body:parseFloat(getComputedStyle(document.body).fontSize), h1:h("h1"), st:h(".st"), td:h("tbody td"), para:parseFloat(getComputedStyle(document.querySelector("main p")).fontSize), doc:document.documentElement.scrollHeight};})()`, &s)
		shot := d.screenshot()
		saveShot(t, "drimbox-3-font-"+strconv.Itoa(standard)+".png", shot)
		img, err := png.Decode(bytes.NewReader(shot))
		if err != nil {
			t.Fatal(err)
		}
		return s, img
	}
	small, smallShot := measure(16)
	large, largeShot := measure(32)
	if small.Body != 16 || large.Body != 32 {
		t.Errorf("body text is %vpx and %vpx with the browser at 16 and 32px: it does not follow the reader's setting", small.Body, large.Body)
	}
	if r := large.Para / small.Para; r != 2 {
		t.Errorf("paragraph text grew %.2f× when the font size doubled, want 2×", r)
	}
	// Boxes grow less than their text: fixed paddings, and the narrow
	// layout (a media query in em) that the larger text brings in.
	for what, r := range map[string]float64{"h1 box": large.H1 / small.H1,
		"state label box": large.St / small.St, "table cell box": large.Td / small.Td} {
		if r < 1.5 {
			t.Errorf("%s grew %.2f× when the font size doubled, want at least 1.5×", what, r)
		}
	}
	if hs, hl := smallShot.Bounds().Dy(), largeShot.Bounds().Dy(); float64(hl) < 1.4*float64(hs) {
		t.Errorf("the page's screenshot is %d px high at 16px and %d px at 32px: the text did not grow", hs, hl)
	}
}
