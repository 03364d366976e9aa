package listeblanche

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func rawSubject(t *testing.T, rdns ...pkix.AttributeTypeAndValue) []byte {
	t.Helper()
	var seq pkix.RDNSequence
	for _, a := range rdns {
		seq = append(seq, pkix.RelativeDistinguishedNameSET{a})
	}
	der, err := asn1.Marshal(seq)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

var (
	oidC  = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidST = asn1.ObjectIdentifier{2, 5, 4, 8}
	oidO  = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidOU = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidCN = asn1.ObjectIdentifier{2, 5, 4, 3}
)

func TestPeer(t *testing.T) {
	list := &List{Entries: []Entry{
		{ID: 1, DB: "db1.test.mesimagesmedicales.fr", VI: "vi1.test.mesimagesmedicales.fr",
			CertDN: `CN=db1.test.mesimagesmedicales.fr,OU=310000000000001,O=CABINET FICTIF\, DU PORT,ST=Côte-d'Or (21),C=FR`},
		{ID: 2, DB: "db2.test.mesimagesmedicales.fr", CertDN: "CN=db2.test.mesimagesmedicales.fr,OU=310000000000002,O=CENTRE FICTIF,C=FR"},
	}}
	one := []pkix.AttributeTypeAndValue{{Type: oidC, Value: "FR"}, {Type: oidST, Value: "Côte-d'Or (21)"},
		{Type: oidO, Value: "CABINET FICTIF, DU PORT"}, {Type: oidOU, Value: "310000000000001"}, {Type: oidCN, Value: "db1.test.mesimagesmedicales.fr"}}
	swapped := append([]pkix.AttributeTypeAndValue{}, one...)
	swapped[2], swapped[3] = swapped[3], swapped[2]
	multi, err := asn1.Marshal(pkix.RDNSequence{{one[0]}, {one[1]}, {one[2], one[3]}, {one[4]}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, host string
		subject    []byte
		want       int // 0: refused
	}{
		{"db name", "db1.test.mesimagesmedicales.fr", rawSubject(t, one...), 1},
		{"vi name, upper case, final dot", "VI1.test.mesimagesmedicales.fr.", rawSubject(t, one...), 1},
		{"no host: by DN alone", "", rawSubject(t, one...), 1},
		{"a host that is only the final dot", ".", rawSubject(t, one...), 0},
		{"another entry's name", "db2.test.mesimagesmedicales.fr", rawSubject(t, one...), 0},
		{"a name not listed", "db9.test.mesimagesmedicales.fr", rawSubject(t, one...), 0},
		{"attributes in another order", "db1.test.mesimagesmedicales.fr", rawSubject(t, swapped...), 0},
		{"an attribute less", "db1.test.mesimagesmedicales.fr", rawSubject(t, one[1:]...), 0},
		{"an attribute more", "db1.test.mesimagesmedicales.fr", rawSubject(t, append(one, pkix.AttributeTypeAndValue{Type: oidOU, Value: "x"})...), 0},
		{"a multi-valued RDN", "db1.test.mesimagesmedicales.fr", multi, 0},
		{"a value differing in case", "", rawSubject(t, one[0], one[1], pkix.AttributeTypeAndValue{Type: oidO, Value: "Cabinet fictif, du port"}, one[3], one[4]), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := list.Peer(&x509.Certificate{RawSubject: tc.subject}, tc.host)
			switch {
			case tc.want == 0 && !errors.Is(err, ErrNotListed):
				t.Errorf("got entry %v, err %v; want ErrNotListed", e, err)
			case tc.want != 0 && (err != nil || e.ID != tc.want):
				t.Errorf("got entry %v, err %v; want entry %d", e, err, tc.want)
			}
		})
	}
	var none *List
	if _, err := none.Peer(&x509.Certificate{RawSubject: rawSubject(t, one...)}, ""); !errors.Is(err, ErrNotListed) {
		t.Errorf("a nil list listed a peer: %v", err)
	}
}

// VerifyServer in a real handshake on loopback: the listed server is
// reached, the same server under a name its entry lacks is not.
func TestVerifyServerHandshake(t *testing.T) {
	at := time.Date(2026, 6, 19, 18, 0, 0, 0, time.UTC)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject:      pkix.Name{CommonName: "db2.test.mesimagesmedicales.fr", OrganizationalUnit: []string{"310000000000002"}, Organization: []string{"CENTRE FICTIF"}, Country: []string{"FR"}},
		NotBefore:    at.Add(-time.Hour), NotAfter: at.Add(time.Hour),
		DNSNames: []string{"db2.test.mesimagesmedicales.fr", "other.test.mesimagesmedicales.fr"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	list := &List{Entries: []Entry{{ID: 2, DB: "db2.test.mesimagesmedicales.fr", CertDN: "CN=db2.test.mesimagesmedicales.fr,OU=310000000000002,O=CENTRE FICTIF,C=FR"}}}
	current := func() *List { return list }
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	dial := func(name string) error {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), 10*time.Second)
		if err != nil {
			return err
		}
		defer conn.Close()
		c := tls.Client(conn, &tls.Config{ServerName: name, RootCAs: roots, Time: func() time.Time { return at },
			VerifyConnection: VerifyServer(current)})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return c.HandshakeContext(ctx)
	}
	if err := dial("db2.test.mesimagesmedicales.fr"); err != nil {
		t.Errorf("the listed peer was refused: %v", err)
	}
	if err := dial("other.test.mesimagesmedicales.fr"); !errors.Is(err, ErrNotListed) {
		t.Errorf("a name not in the list: %v, want ErrNotListed", err)
	}
}

// An unreadable state fails closed; a missing one is the first run.
func TestLoadState(t *testing.T) {
	dir := t.TempDir()
	st, err := LoadState(filepath.Join(dir, "none.state"))
	if err != nil || st != nil {
		t.Fatalf("missing state: %v, %v", st, err)
	}
	want := State{Generated: time.Date(2026, 6, 19, 18, 5, 52, 0, time.UTC), ContentSHA256: "ab", SigningTime: time.Date(2026, 6, 19, 18, 6, 0, 0, time.UTC)}
	path := filepath.Join(dir, "ok.state")
	if err := SaveState(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := LoadState(path)
	if err != nil || *got != want {
		t.Fatalf("round trip: %v, %v", got, err)
	}
	for name, content := range map[string]string{"truncated": `{"date_de_generation": "2026-06`, "empty": ``, "no date": `{"content_sha256": "ab"}`} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		if st, err := LoadState(p); err == nil {
			t.Errorf("%s state read as %v", name, st)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if st, err := LoadState(filepath.Join(dir, "adir")); err == nil {
		t.Errorf("a folder read as state %v", st)
	}
}

// The TLS hooks check listing on a chain the handshake verified: a
// connection whose chain was not verified (InsecureSkipVerify, or a server
// asking for any client certificate) is refused even when a certificate
// anyone can make names a listed DN, and a client that did not say whom it
// called is refused rather than matched on the DN alone.
func TestVerifyConnectionNeedsAVerifiedChain(t *testing.T) {
	subject := rawSubject(t, pkix.AttributeTypeAndValue{Type: oidC, Value: "FR"}, pkix.AttributeTypeAndValue{Type: oidO, Value: "CENTRE FICTIF"},
		pkix.AttributeTypeAndValue{Type: oidOU, Value: "310000000000002"}, pkix.AttributeTypeAndValue{Type: oidCN, Value: "db2.test.mesimagesmedicales.fr"})
	cert := &x509.Certificate{RawSubject: subject}
	list := &List{Entries: []Entry{{ID: 2, DB: "db2.test.mesimagesmedicales.fr", CertDN: "CN=db2.test.mesimagesmedicales.fr,OU=310000000000002,O=CENTRE FICTIF,C=FR"}}}
	current := func() *List { return list }
	host := "db2.test.mesimagesmedicales.fr"
	unverified := tls.ConnectionState{ServerName: host, PeerCertificates: []*x509.Certificate{cert}}
	verified := unverified
	verified.VerifiedChains = [][]*x509.Certificate{{cert}}
	noName := verified
	noName.ServerName = ""
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"server, chain not verified", VerifyServer(current)(unverified)},
		{"client, chain not verified", VerifyClient(current)(unverified)},
		{"server, no name called", VerifyServer(current)(noName)},
	} {
		if !errors.Is(tc.err, ErrNotListed) {
			t.Errorf("%s: %v, want ErrNotListed", tc.name, tc.err)
		}
	}
	if err := VerifyServer(current)(verified); err != nil {
		t.Errorf("server, verified chain: %v", err)
	}
	if err := VerifyClient(current)(verified); err != nil {
		t.Errorf("client, verified chain: %v", err)
	}
}
