package registry

import (
	"fmt"
	"strings"
	"testing"
)

func TestZZEnum3(t *testing.T) {
	alpha := []string{"a", "1", " ", ":", "#", "?", "-", ",", "[", "]", "{", "}", "'", "\"", "!", "&", "*", "|", ">", "%", "@", "`", "\\", ".", "~", "<", "é", "\u00a0", "x:"}
	tmpl := []string{
		"    label: %s\n", "    label: x%s\n", "    label: PACS\n  - {id: p2, label: %s}\n", "    label: PACS\n  - {id: p2, label: x%s}\n",
		"    label: '%s'\n", "    label: \"%s\"\n", "    label: PACS\n  - {id: p2, label: '%s'}\n", "    label: PACS\n  - %s\n", "    label: PACS\n%s\n", "    label: PACS\n  %s\n", "    label: PACS\n    %s: 1\n",
	}
	var strs []string
	for _, x := range alpha {
		strs = append(strs, x)
		for _, y := range alpha {
			strs = append(strs, x+y)
			for _, z := range alpha[:10] {
				strs = append(strs, x+y+z)
			}
		}
	}
	n := 0
	for _, tp := range tmpl {
		for _, s := range strs {
			src := strings.Replace(hostileRecord, "    label: PACS principal\n", fmt.Sprintf(tp, s), 1)
			t.Run("", func(t *testing.T) {
				if sameIndex(t, "5.yaml", []byte(src)) {
					n++
				}
			})
		}
	}
	for _, f := range []string{"status: declared", "operator: op-a", "  db: gw5.op-a.example", "support_contact: support@op-a.example"} {
		k, _, _ := strings.Cut(f, ": ")
		for _, s := range strs {
			for _, v := range []string{s, "x" + s, "'" + s + "'", "\"" + s + "\""} {
				src := strings.Replace(hostileRecord, f, k+": "+v, 1)
				t.Run("", func(t *testing.T) {
					if sameIndex(t, "5.yaml", []byte(src)) {
						n++
					}
				})
			}
		}
	}
	t.Logf("%d read", n)
}
