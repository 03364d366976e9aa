package listeblanche

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
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
	subject, err := subjectAttrs(cert)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotListed, err)
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	named := false
	for i := range l.Entries {
		e := &l.Entries[i]
		if host != "" && !strings.EqualFold(e.DB, host) && !strings.EqualFold(e.VI, host) {
			continue
		}
		named = true
		if sameDN(e.CertDN, subject) {
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

// attrTypes are the names the ANS writes for the attribute types of a
// server certificate's subject.
var attrTypes = map[string]string{
	"2.5.4.3": "CN", "2.5.4.11": "OU", "2.5.4.10": "O", "2.5.4.8": "ST", "2.5.4.7": "L",
	"2.5.4.6": "C", "2.5.4.5": "SERIALNUMBER", "2.5.4.9": "STREET", "2.5.4.17": "POSTALCODE",
	"2.5.4.97": "ORGANIZATIONIDENTIFIER", "1.2.840.113549.1.9.1": "EMAILADDRESS",
}

type attr struct{ typ, value string }

// subjectAttrs returns the subject's attributes, most significant last.
// A multi-valued RDN or a value that is not a string matches nothing.
func subjectAttrs(cert *x509.Certificate) ([]attr, error) {
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(cert.RawSubject, &seq); err != nil || len(rest) != 0 {
		return nil, errors.New("the certificate subject does not parse")
	}
	out := make([]attr, 0, len(seq))
	for i := len(seq) - 1; i >= 0; i-- {
		rdn := seq[i]
		if len(rdn) != 1 {
			return nil, errors.New("the certificate subject has a multi-valued RDN")
		}
		typ, ok := attrTypes[rdn[0].Type.String()]
		if !ok {
			typ = rdn[0].Type.String()
		}
		v, ok := rdn[0].Value.(string)
		if !ok {
			return nil, fmt.Errorf("the certificate subject's %s is not a string", typ)
		}
		out = append(out, attr{typ: typ, value: v})
	}
	return out, nil
}

// sameDN tells whether dn, as the list writes it, has exactly the
// attributes want, in the same order.
func sameDN(dn string, want []attr) bool {
	got, ok := parseDN(dn)
	if !ok || len(got) != len(want) {
		return false
	}
	for i := range got {
		if !strings.EqualFold(got[i].typ, want[i].typ) || got[i].value != want[i].value {
			return false
		}
	}
	return true
}

// parseDN splits an RFC 4514 DN into its attributes, with escapes
// resolved. A '+' (a multi-valued RDN) makes it match nothing.
func parseDN(s string) ([]attr, bool) {
	var out []attr
	var cur []byte
	flush := func() bool {
		t, v, ok := strings.Cut(string(cur), "=")
		cur = cur[:0]
		if !ok || t == "" {
			return false
		}
		out = append(out, attr{typ: strings.TrimSpace(t), value: v})
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b, _ := hex.DecodeString(s[i+1 : i+3])
			cur = append(cur, b...)
			i += 2
		case c == '\\' && i+1 < len(s):
			cur = append(cur, s[i+1])
			i++
		case c == '\\', c == '+':
			return nil, false
		case c == ',':
			if !flush() {
				return nil, false
			}
		default:
			cur = append(cur, c)
		}
	}
	return out, flush()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
