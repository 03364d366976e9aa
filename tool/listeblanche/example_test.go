package listeblanche_test

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/drim-m/trust-space/tool/listeblanche"
)

// A DRIMbox pins the IGC Santé root, supplies the ORGANISATIONS CA and a
// current CRL of it (or sets FetchCRLs), verifies the list it downloaded,
// and saves the State for the next run. The files here are the homologation
// kit's, verified at the kit's time.
func Example() {
	opts := listeblanche.Options{
		Roots:         []*x509.Certificate{readCert("testdata/kit/root.pem")},
		Intermediates: []*x509.Certificate{readCert("testdata/kit/org-ca.pem")},
		CRLs:          []*x509.RevocationList{readCRL("testdata/kit/crl.der")},
		Now:           time.Date(2026, 6, 19, 18, 6, 52, 0, time.UTC),
		Last:          readState("/var/lib/drimbox/liste-blanche.state"),
	}
	data, err := os.ReadFile("testdata/kit/valid.xml")
	if err != nil {
		panic(err)
	}
	list, err := listeblanche.Verify(data, opts)
	if err != nil {
		fmt.Println("keep the previous list:", err)
		return
	}
	for _, e := range list.Entries {
		fmt.Println(e.ID, e.DB)
	}
	// Save list.State (it marshals to JSON) before trusting the entries.
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
		_, err = listeblanche.Verify(data, opts)
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

// readState reads the state saved after the last list accepted; none on
// the first run.
func readState(path string) *listeblanche.State {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var st listeblanche.State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil
	}
	return &st
}
