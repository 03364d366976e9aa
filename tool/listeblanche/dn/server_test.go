package dn

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// ServerCase is one line of testdata/server-dns.txt.
type serverCase struct {
	name, dn string
	// want is "ok" for a DN with the server shape naming db3, "ok-not-db"
	// for one with the shape naming another host, else what the refusal
	// says.
	want string
}

const serverDB = "db3.test.mesimagesmedicales.fr"

func serverCases(t testing.TB) []serverCase {
	t.Helper()
	f, err := os.Open("testdata/server-dns.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []serverCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("testdata/server-dns.txt: %q is not name, DN and outcome", line)
		}
		dn, err := strconv.Unquote(parts[1])
		if err != nil {
			t.Fatalf("testdata/server-dns.txt: %s: %v", parts[0], err)
		}
		out = append(out, serverCase{parts[0], dn, parts[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseServer(t *testing.T) {
	for _, tc := range serverCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := ParseServer(tc.dn)
			switch tc.want {
			case "ok":
				if err != nil || srv.CN != serverDB {
					t.Fatalf("ParseServer(%q) = %+v, %v; want CN %s", tc.dn, srv, err, serverDB)
				}
			case "ok-not-db":
				if err != nil || srv.CN == serverDB {
					t.Fatalf("ParseServer(%q) = %+v, %v; want the shape of a server DN naming another host", tc.dn, srv, err)
				}
			default:
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("ParseServer(%q) = %+v, %v; want an error saying %q", tc.dn, srv, err, tc.want)
				}
			}
		})
	}
}

// TestServerOfDER reads each case as a certificate would carry it: the
// same names are refused from DER as from text.
func TestServerOfDER(t *testing.T) {
	for _, tc := range serverCases(t) {
		n, err := Parse(tc.dn)
		if err != nil {
			continue
		}
		der, err := n.DER()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		back, err := FromDER(der)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		_, errText := ServerOf(n)
		_, errDER := ServerOf(back)
		if (errText == nil) != (errDER == nil) {
			t.Errorf("%s: the text reads %v, the certificate %v", tc.name, errText, errDER)
		}
	}
}
