package listeblanche_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/drim-m/trust-space/tool/listeblanche"
)

// A DRIMbox pins the IGC Santé root, supplies the ORGANISATIONS CA and a
// current CRL of it (or sets FetchCRLs), verifies the list it downloaded
// against the state of the last list it accepted, and saves the new state
// before trusting the entries. The files here are the homologation kit's,
// verified at the kit's time.
func Example() {
	statePath := filepath.Join(os.TempDir(), "liste-blanche-example.state")
	defer os.Remove(statePath)
	last, err := listeblanche.LoadState(statePath)
	if err != nil {
		// A damaged state fails closed: keep the previous list, alert.
		fmt.Println("keep the previous list:", err)
		return
	}
	opts := listeblanche.Options{
		Roots:         []*x509.Certificate{readCert("testdata/kit/root.pem")},
		Intermediates: []*x509.Certificate{readCert("testdata/kit/org-ca.pem")},
		CRLs:          []*x509.RevocationList{readCRL("testdata/kit/crl.der")},
		Now:           time.Date(2026, 6, 19, 18, 6, 52, 0, time.UTC),
		Last:          last,
	}
	data, err := os.ReadFile("testdata/kit/valid.xml")
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	list, err := listeblanche.Verify(ctx, data, opts)
	if err != nil {
		fmt.Println("keep the previous list:", err)
		return
	}
	if err := listeblanche.SaveState(statePath, list.State); err != nil {
		fmt.Println("keep the previous list:", err)
		return
	}
	for _, e := range list.Entries {
		fmt.Println(e.ID, e.DB)
	}
	fmt.Println("generated", list.Generated.Format(time.RFC3339))
	// Output:
	// 1 db1.test.mesimagesmedicales.fr
	// 2 db2.test.mesimagesmedicales.fr
	// 4 db4.test.mesimagesmedicales.fr
	// 7 db7.test.mesimagesmedicales.fr
	// 10 db10.test.mesimagesmedicales.fr
	// generated 2026-06-19T18:05:52Z
}

// A refusal says which check refused the list; the caller keeps the last
// good list, and alerts on the checks that mean an attack.
func ExampleError() {
	opts := listeblanche.Options{
		Roots:         []*x509.Certificate{readCert("testdata/kit/root.pem")},
		Intermediates: []*x509.Certificate{readCert("testdata/kit/org-ca.pem")},
		CRLs:          []*x509.RevocationList{readCRL("testdata/kit/crl.der")},
		Now:           time.Date(2026, 6, 19, 18, 6, 52, 0, time.UTC),
	}
	for _, file := range []string{"byte-changed.xml", "backdated-signer.xml", "revoked-signer.xml", "too-old.xml"} {
		data, err := os.ReadFile("testdata/kit/" + file)
		if err != nil {
			panic(err)
		}
		_, err = listeblanche.Verify(context.Background(), data, opts)
		var refused *listeblanche.Error
		if errors.As(err, &refused) {
			fmt.Printf("%s: refused by the %s check\n", file, refused.Check)
		}
	}
	// Output:
	// byte-changed.xml: refused by the signature check
	// backdated-signer.xml: refused by the signer check
	// revoked-signer.xml: refused by the revocation check
	// too-old.xml: refused by the freshness check
}

func readCert(path string) *x509.Certificate {
	data, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		panic(path + ": no PEM block")
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		panic(err)
	}
	return c
}

func readCRL(path string) *x509.RevocationList {
	data, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	crl, err := x509.ParseRevocationList(data)
	if err != nil {
		panic(err)
	}
	return crl
}

// Whether a peer is in the list: by the certificate it presented and the
// name the DRIMbox called. In a tls.Config, VerifyServer (calling a peer) or
// VerifyClient (accepting one) does the same on each handshake.
func ExampleList_Peer() {
	list := &listeblanche.List{Entries: []listeblanche.Entry{{
		ID: 3, DB: "db3.test.mesimagesmedicales.fr",
		CertDN: "CN=db3.test.mesimagesmedicales.fr,OU=310000000000003,O=CENTRE IMAGERIE FICTIF DU LAC,C=FR",
	}}}
	peer := &x509.Certificate{RawSubject: subjectDER("db3.test.mesimagesmedicales.fr", "310000000000003", "CENTRE IMAGERIE FICTIF DU LAC")}
	if e, err := list.Peer(peer, "db3.test.mesimagesmedicales.fr"); err == nil {
		fmt.Println("listed as", e.ID)
	}
	if _, err := list.Peer(peer, "db4.test.mesimagesmedicales.fr"); err != nil {
		fmt.Println(err)
	}

	var current atomic.Pointer[listeblanche.List]
	current.Store(list)
	_ = &tls.Config{VerifyConnection: listeblanche.VerifyServer(current.Load)}
	// Output:
	// listed as 3
	// listeblanche: the peer is not in the Liste Blanche: no entry has the name db4.test.mesimagesmedicales.fr
}

func subjectDER(cn, ou, o string) []byte {
	name := pkix.Name{CommonName: cn, OrganizationalUnit: []string{ou}, Organization: []string{o}, Country: []string{"FR"}}
	der, err := asn1.Marshal(name.ToRDNSequence())
	if err != nil {
		panic(err)
	}
	return der
}
