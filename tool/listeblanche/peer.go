package listeblanche

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"github.com/drim-m/trust-space/tool/listeblanche/dn"
)

// ErrNotListed is the refusal of a peer that no entry of the list names.
var ErrNotListed = errors.New("listeblanche: the peer is not in the Liste Blanche")

// Peer returns the entry that lists a peer: the entry whose
// DNCertificatOperateur is the subject of cert, attribute for attribute in
// the order the ANS writes it (most significant last, as RFC 4514), and,
// when host is not empty, whose db or vi name is host. host is the name the
// DRIMbox called (a client's view); a server that accepted a connection
// passes "" and matches on the DN alone.
//
// Peer checks listing only: the TLS handshake must still verify the peer's
// chain to the IGC Santé roots and its name, as crypto/tls does with
// RootCAs (or ClientCAs and ClientAuth) set. A nil list lists no one.
func (l *List) Peer(cert *x509.Certificate, host string) (*Entry, error) {
	if l == nil || cert == nil {
		return nil, ErrNotListed
	}
	// One reading of a DN, the registry's and the list builder's (package
	// dn): the subject as the certificate encodes it, the entry's as the
	// list writes it.
	subject, err := dn.FromDER(cert.RawSubject)
	if err != nil {
		return nil, fmt.Errorf("%w: the certificate subject does not parse: %v", ErrNotListed, err)
	}
	if !singleValued(subject) {
		return nil, fmt.Errorf("%w: the certificate subject has a multi-valued RDN", ErrNotListed)
	}
	if name := host; name != "" {
		// "." would become no host once its final dot is dropped, and no
		// host matches a listed subject under any name.
		if host = strings.ToLower(strings.TrimSuffix(host, ".")); host == "" {
			return nil, fmt.Errorf("%w: the server name %q names no host", ErrNotListed, name)
		}
	}
	named := false
	for i := range l.Entries {
		e := &l.Entries[i]
		if host != "" && !strings.EqualFold(e.DB, host) && !strings.EqualFold(e.VI, host) {
			continue
		}
		named = true
		if listed, err := dn.Parse(e.CertDN); err == nil && singleValued(listed) && listed.Equal(subject) {
			return e, nil
		}
	}
	switch {
	case host != "" && !named:
		return nil, fmt.Errorf("%w: no entry has the name %s", ErrNotListed, host)
	case host != "":
		return nil, fmt.Errorf("%w: the entry of %s names another certificate subject than %q", ErrNotListed, host, cert.Subject)
	}
	return nil, fmt.Errorf("%w: no entry names the certificate subject %q", ErrNotListed, cert.Subject)
}

// VerifyServer returns a function for tls.Config.VerifyConnection on a
// DRIMbox calling a peer: the server's certificate must be listed, under
// the name the DRIMbox called (ConnectionState.ServerName). current returns
// the list in force (from an atomic.Pointer, say), so the function follows
// each new list.
func VerifyServer(current func() *List) func(tls.ConnectionState) error {
	return func(cs tls.ConnectionState) error {
		leaf, err := verifiedLeaf(cs)
		if err != nil {
			return err
		}
		// An empty host matches on the DN alone, which is for servers:
		// a client that did not say whom it called is refused.
		if cs.ServerName == "" {
			return fmt.Errorf("%w: the connection names no server (set tls.Config.ServerName)", ErrNotListed)
		}
		_, err = current().Peer(leaf, cs.ServerName)
		return err
	}
}

// VerifyClient returns a function for tls.Config.VerifyConnection on a
// DRIMbox accepting peers (with ClientAuth RequireAndVerifyClientCert): the
// client's certificate must be listed, whatever name it is under.
func VerifyClient(current func() *List) func(tls.ConnectionState) error {
	return func(cs tls.ConnectionState) error {
		leaf, err := verifiedLeaf(cs)
		if err != nil {
			return err
		}
		_, err = current().Peer(leaf, "")
		return err
	}
}

// verifiedLeaf returns the peer certificate of a chain the handshake
// verified. Listing is a check on a DN anyone can write into a certificate
// of their own: with InsecureSkipVerify, or a server asking for any client
// certificate, there is no verified chain, and the hooks refuse.
func verifiedLeaf(cs tls.ConnectionState) (*x509.Certificate, error) {
	if len(cs.VerifiedChains) == 0 || len(cs.VerifiedChains[0]) == 0 {
		return nil, fmt.Errorf("%w: the peer's chain was not verified (set RootCAs, or ClientCAs with RequireAndVerifyClientCert; not InsecureSkipVerify)", ErrNotListed)
	}
	return cs.VerifiedChains[0][0], nil
}

// VerifyPeerCertificate is VerifyServer (host not empty) or VerifyClient
// (host empty) for tls.Config.VerifyPeerCertificate, for code that sets
// that hook. With InsecureSkipVerify, verifiedChains is empty: this
// function then refuses, since it checks listing, not the chain.
func VerifyPeerCertificate(current func() *List, host string) func([][]byte, [][]*x509.Certificate) error {
	return func(_ [][]byte, chains [][]*x509.Certificate) error {
		if len(chains) == 0 || len(chains[0]) == 0 {
			return fmt.Errorf("%w: the peer's chain was not verified (set RootCAs or ClientCAs, not InsecureSkipVerify)", ErrNotListed)
		}
		_, err := current().Peer(chains[0][0], host)
		return err
	}
}

// singleValued tells whether every RDN of a name holds one attribute: a
// multi-valued RDN matches nothing.
func singleValued(n dn.Name) bool {
	for _, rdn := range n {
		if len(rdn) != 1 {
			return false
		}
	}
	return true
}
