//go:build !cgo

package hsm

import (
	"crypto"
	"io"
)

// Signer is an RSA key in a token; without cgo there is none.
type Signer struct{}

// Open says that this drimm cannot reach a PKCS#11 token: it was built
// without cgo.
func Open(Config) (*Signer, error) { return nil, ErrNoCgo }

// Public returns nil: no Signer is ever opened without cgo.
func (*Signer) Public() crypto.PublicKey { return nil }

// Sign fails: no Signer is ever opened without cgo.
func (*Signer) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) { return nil, ErrNoCgo }

// Close does nothing.
func (*Signer) Close() error { return nil }
