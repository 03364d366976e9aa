package sim

import (
	"crypto"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"math/big"
	"net"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
)

// leaf issues the server certificate of DRIMbox b, for its db and vi
// names, from the fleet's organisation CA.
func (f *Fleet) leaf(b Box, opts Options, key crypto.Signer) (tls.Certificate, error) {
	id, kind, subject := b.ID, b.Kind, b.DN
	if kind == DNMismatch {
		subject = "CN=db" + strconv.Itoa(id) + "." + f.Zone + ",OU=399999999999999,O=AUTRE STRUCTURE FICTIVE,C=FR"
	}
	name, err := testpki.ParseDN(subject)
	if err != nil {
		return tls.Certificate{}, err
	}
	notAfter := opts.Now.AddDate(1, 0, 0)
	if kind == Expiring {
		notAfter = opts.Now.AddDate(0, 0, 10)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: name,
		DNSNames:  []string{f.DBName(id), f.VIName(id)},
		NotBefore: opts.Now.Add(-time.Hour), NotAfter: notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	if opts.IPSAN {
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, f.PKI.OrgCA.Cert, key.Public(), f.PKI.OrgCA.Key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("issuing the certificate of DRIMbox %d: %w", id, err)
	}
	return tls.Certificate{Certificate: [][]byte{der, f.PKI.OrgCA.Cert.Raw}, PrivateKey: key}, nil
}

// parallel runs fn(0..n-1) on every core and returns the first error.
func parallel(n int, fn func(i int) error) error {
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}
