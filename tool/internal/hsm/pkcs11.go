//go:build cgo

package hsm

import (
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ThalesGroup/crypto11"
	"github.com/miekg/pkcs11"
)

// Signer is an RSA key in a token. It must be closed to log out and release
// the module.
type Signer struct {
	ctx *crypto11.Context
	key crypto11.Signer
	pub *rsa.PublicKey
}

// Open loads the module, logs in to the token and finds the key pair.
func Open(cfg Config) (*Signer, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	ctx, err := crypto11.Configure(&crypto11.Config{Path: cfg.Module, TokenLabel: cfg.Token, Pin: cfg.PIN})
	if err != nil {
		return nil, classify(cfg, err)
	}
	key, err := ctx.FindKeyPair(nil, []byte(cfg.KeyLabel))
	if err != nil || key == nil {
		_ = ctx.Close()
		return nil, fmt.Errorf("%w: no key pair labelled %q in token %q (the token must hold the private key and its public key with the same CKA_ID)", ErrKey, cfg.KeyLabel, cfg.Token)
	}
	pub, ok := key.Public().(*rsa.PublicKey)
	if !ok {
		_ = ctx.Close()
		return nil, fmt.Errorf("key %q in token %q is %T, the Liste Blanche profile needs RSA", cfg.KeyLabel, cfg.Token, key.Public())
	}
	if pub.N.BitLen() < 2048 {
		_ = ctx.Close()
		return nil, fmt.Errorf("key %q in token %q is RSA %d, the Liste Blanche profile needs at least 2048 bits", cfg.KeyLabel, cfg.Token, pub.N.BitLen())
	}
	return &Signer{ctx: ctx, key: key, pub: pub}, nil
}

// classify turns what crypto11 and the module report into one of the
// failures an operator acts on.
func classify(cfg Config, err error) error {
	var p11 pkcs11.Error
	if errors.As(err, &p11) {
		switch p11 {
		case pkcs11.CKR_PIN_INCORRECT, pkcs11.CKR_PIN_INVALID, pkcs11.CKR_PIN_LEN_RANGE:
			return fmt.Errorf("%w: wrong PIN for token %q", ErrPIN, cfg.Token)
		case pkcs11.CKR_PIN_LOCKED:
			return fmt.Errorf("%w: the PIN of token %q is locked", ErrPIN, cfg.Token)
		case pkcs11.CKR_PIN_EXPIRED:
			return fmt.Errorf("%w: the PIN of token %q has expired", ErrPIN, cfg.Token)
		}
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "could not find PKCS#11 token"):
		return fmt.Errorf("%w: no token labelled %q in %s", ErrToken, cfg.Token, cfg.Module)
	case strings.Contains(msg, "failed to open module"), strings.Contains(msg, "failed to initialize module"):
		return fmt.Errorf("%w: %s: %v", ErrModule, cfg.Module, err)
	}
	return fmt.Errorf("opening token %q in %s: %w", cfg.Token, cfg.Module, err)
}

// Public returns the RSA public key of the pair.
func (s *Signer) Public() crypto.PublicKey { return s.pub }

// Sign signs digest inside the token (RSA PKCS#1 v1.5 for crypto.SHA256 and
// the like).
func (s *Signer) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	sig, err := s.key.Sign(rand, digest, opts)
	if err != nil {
		return nil, fmt.Errorf("signing in the token: %w", err)
	}
	return sig, nil
}

// Close logs out and releases the module.
func (s *Signer) Close() error { return s.ctx.Close() }
