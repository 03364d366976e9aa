package registry

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostileRecord is a clean DRIMbox record with no ZED container of its
// own; the shapes below hide index fields inside other values.
const hostileRecord = `identifiant: 5
operator: op-a
status: declared
funding: segur
declared_on: 2025-01-01
support_contact: support@op-a.example
endpoints:
  db: gw5.op-a.example
certificates:
  server:
    dn: "CN=db5.test.mesimagesmedicales.fr,OU=312345678900017,O=CENTRE FICTIF,C=FR"
pacs:
  - id: pacs-principal
    label: PACS principal
dossier:
  subcontracting: false
`

// hostileShapes are records whose lines, read one by one, show what YAML
// does not read: values over several lines, escapes, flow collections,
// comments, duplicate keys, block scalars, and the bytes YAML treats
// apart. The index reader must decline every one.
func hostileShapes() map[string]string {
	label := "    label: PACS principal\n"
	in := func(repl string) string { return strings.Replace(hostileRecord, label, repl, 1) }
	re := func(old, repl string) string { return strings.Replace(hostileRecord, old, repl, 1) }
	return map[string]string{
		"double-quoted ending in an escaped quote": in("    label: \"PACS principal \\\"\ndossier:\n  zed:\n    container: ZED-2025-0004\nstatus: operational\n    order: CMD-2025-0004\"\n"),
		"double-quoted over lines":                 in("    label: \"PACS\nstatus: operational\nendpoints:\n  db: evil.example\n    principal\"\n"),
		"double-quoted, escaped line break":        in("    label: \"PACS \\\nstatus: operational\"\n"),
		"single-quoted ending in a doubled quote":  in("    label: 'PACS principal ''\ndossier:\n  zed:\n    container: ZED-2025-0004\n    order: CMD-2025-0004'\n"),
		"single-quoted over lines":                 in("    label: 'PACS\nstatus: operational\n    principal'\n"),
		"plain over lines":                         in("    label: PACS\n      principal\n"),
		"flow sequence over lines":                 in("    label: PACS principal\n  - {id: pacs-2, label: \"}\nstatus: operational\n    \"}\n"),
		"flow mapping over lines":                  re("endpoints:\n  db: gw5.op-a.example\n", "endpoints: {db: gw5.op-a.example,\n  vi: vi5.op-a.example}\n"),
		"escape in an index field":                 re("support_contact: support@op-a.example", `support_contact: "support\u0040op-a.example"`),
		"comment beside a value":                   re("status: declared", "status: declared # operational"),
		"duplicate key":                            hostileRecord + "status: operational\n",
		"duplicate nested key":                     re("  db: gw5", "  db: evil.example\n  db: gw5"),
		"block scalar":                             in("    label: |\n      PACS\n      status: operational\n"),
		"folded block scalar, indentation given":   in("    label: >-\n      PACS\n\n      status: operational\n"),
		"block scalar in an index field":           re("status: declared", "status: |-\n  declared"),
		"document marker":                          hostileRecord + "---\nstatus: operational\n",
		"document end":                             hostileRecord + "...\n",
		"byte-order mark":                          "\ufeff" + hostileRecord,
		"CRLF":                                     strings.ReplaceAll(hostileRecord, "\n", "\r\n"),
		"tab":                                      re("  db:", "\tdb:"),
		"anchor":                                   re("operator: op-a", "operator: &x op-a"),
		"tag":                                      re("operator: op-a", "operator: !!str op-a"),
		"quoted key":                               re("status:", `"status":`),
		"explicit key":                             re("status: declared", "? status\n: declared"),
		"next line character":                      re("PACS principal", "PACS\u0085status: operational"),
		"identifiant as 005":                       re("identifiant: 5", "identifiant: 005"),
		"identifiant quoted":                       re("identifiant: 5", `identifiant: "5"`),
		"typed plain value":                        re("operator: op-a", "operator: null"),
		"null parent":                              re("endpoints:\n  db: gw5.op-a.example\n", "endpoints:\n"),
		"sequence as parent":                       re("endpoints:\n  db: gw5.op-a.example\n", "endpoints:\n  - db: gw5.op-a.example\n"),
		"no identifiant":                           re("identifiant: 5\n", ""),
		"question mark in a flow value":            in("    label: PACS principal\n  - {id: pacs-2, label: PACS?2}\n"),
		"duplicate key among many":                 re("dossier:\n", "dossier:\n"+manyKeys(100)+"  k7: v\n"),
	}
}

// TestIndexRecordHostileShapes: the reader reads the plain record, and
// declines every shape outside its subset.
func TestIndexRecordHostileShapes(t *testing.T) {
	if !sameIndex(t, "5.yaml", []byte(hostileRecord)) {
		t.Fatal("the index reader does not read the plain record")
	}
	for name, src := range hostileShapes() {
		t.Run(name, func(t *testing.T) {
			if sameIndex(t, "5.yaml", []byte(src)) {
				t.Fatalf("the index reader read a shape outside its subset:\n%s", src)
			}
		})
	}
}

// TestIndexRecordReadsItsSubset: what the reader accepts beyond drimm's
// own style, it reads as the parser does.
func TestIndexRecordReadsItsSubset(t *testing.T) {
	for name, src := range map[string]string{
		"compact sequence": strings.Replace(hostileRecord, "  - id: pacs-principal\n    label", "- id: pacs-principal\n  label", 1),
		"comment lines":    strings.Replace(hostileRecord, "endpoints:\n", "endpoints:\n# status: operational\n    # x\n", 1),
		"many keys":        strings.Replace(hostileRecord, "dossier:\n", "dossier:\n"+manyKeys(100), 1),
		"quoted values":    strings.Replace(hostileRecord, "operator: op-a", "operator: 'op-a'", 1),
		"flow mappings":    strings.Replace(hostileRecord, "    label: PACS principal\n", "    label: PACS principal\n  - {id: pacs-2, label: \"B, C\"}\n  - {id: pacs-3, label: 'a}'}\n", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if !sameIndex(t, "5.yaml", []byte(src)) {
				t.Fatalf("the index reader declined:\n%s", src)
			}
		})
	}
}

// FuzzIndexRecord is the index reader against the full reader: the same
// index fields, or the reader declines.
func FuzzIndexRecord(f *testing.F) {
	paths, _ := filepath.Glob("../../testdata/registry/operators/*/drimboxes/*.yaml")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(hostileRecord))
	for _, src := range hostileShapes() {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The reader is linear and line by line; the full reader it is
		// compared with takes seconds on the large inputs the mutator
		// grows, which would leave the bounded run few executions.
		if len(data) > 64<<10 {
			t.Skip("larger than a record needs to be to hold every shape")
		}
		sameIndex(t, "1.yaml", data)
	})
}

// TestIndexRecordReadsHexValues: digests and serials are lowercase hex;
// those YAML reads as text, the reader reads, and those it reads as
// numbers it leaves to the parser.
func TestIndexRecordReadsHexValues(t *testing.T) {
	for value, read := range map[string]bool{
		"0b45f2b39e9d5494404d25e131b412e5": true, "2ba956e6a16f659fd3fddab843c0b633": true,
		"0b1010": false, "1e10": false, "123456": false, "0x1f": false, "0o17": false, "1_000": false,
	} {
		src := strings.Replace(hostileRecord, "  server:\n", "  server:\n    serial: "+value+"\n", 1)
		if got := sameIndex(t, "5.yaml", []byte(src)); got != read {
			t.Errorf("serial %s: read %v, want %v", value, got, read)
		}
	}
}

// manyKeys is a block of n distinct keys at indentation 2.
func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("  k" + strconv.Itoa(i) + ": v\n")
	}
	return b.String()
}

// indexTextByByte is indexText's rule read a byte at a time, as the
// reference its word-at-a-time reading must agree with.
func indexTextByByte(data []byte) bool {
	if len(data) > MaxFileSize || !utf8.Valid(data) {
		return false
	}
	for _, r := range string(data) {
		switch {
		case r == '\n':
		case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0, r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
			return false
		}
	}
	return true
}

// TestIndexTextReadsEveryByte: each byte value, at each place in and
// around a word, is judged as when read alone.
func TestIndexTextReadsEveryByte(t *testing.T) {
	base := []byte("abcdefghijklmnopqrstuvwx")
	for pos := range 17 {
		for c := range 256 {
			data := bytes.Clone(base)
			data[pos] = byte(c)
			if got, want := indexText(data), indexTextByByte(data); got != want {
				t.Fatalf("byte %#x at %d: indexText %v, read byte by byte %v", c, pos, got, want)
			}
		}
	}
}

// FuzzIndexText is indexText against its byte-at-a-time rule.
func FuzzIndexText(f *testing.F) {
	f.Add([]byte("identifiant: 1\noperator: op\n"))
	f.Add([]byte("label: caf\u00e9 \u2028 \x7f\x00\t\r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := indexText(data), indexTextByByte(data); got != want {
			t.Fatalf("%q: indexText %v, read byte by byte %v", data, got, want)
		}
	})
}
