// Package hsm reaches the Liste Blanche signing key in a PKCS#11 token, so
// that the key never leaves the hardware security module. It opens the module
// by path, finds the token by label and the key pair by label, logs in with a
// PIN the caller supplies, and offers the key as a crypto.Signer.
//
// Failures are sorted into the few cases an operator can act on: the module
// is missing, the token is missing, the PIN is wrong, the key is missing.
// Callers branch on them with errors.Is.
//
// PKCS#11 loads the vendor's C library, so this package needs cgo
// (pkcs11.go); a drimm built with CGO_ENABLED=0, as a DRIMbox installs it
// to verify and fetch lists, has Open return ErrNoCgo (nocgo.go).
package hsm

import (
	"errors"
	"fmt"
	"os"
)

// The failures an operator can act on. Errors returned by Open wrap one of
// them.
var (
	ErrModule = errors.New("PKCS#11 module cannot be loaded")
	ErrToken  = errors.New("PKCS#11 token not found")
	ErrPIN    = errors.New("PKCS#11 login refused")
	ErrKey    = errors.New("signing key not found in the token")
	// ErrNoCgo: this drimm was built without cgo (CGO_ENABLED=0), and
	// loading a PKCS#11 module needs it. Verifying and fetching lists
	// do not.
	ErrNoCgo = errors.New("this drimm was built without cgo, which PKCS#11 needs")
)

// Config says where the key is.
type Config struct {
	// Module is the path of the PKCS#11 shared library, e.g.
	// /usr/lib/softhsm/libsofthsm2.so.
	Module string
	// Token is the token label.
	Token string
	// KeyLabel is the label (CKA_LABEL) of the key pair; the token must hold
	// both the private and the public key objects under it.
	KeyLabel string
	// PIN is the user PIN. The command line reads it from the environment
	// only; it is never a flag.
	PIN string
}

// check refuses a configuration that names no module, token, key or PIN.
func (cfg Config) check() error {
	if cfg.Module == "" {
		return fmt.Errorf("%w: no module path given", ErrModule)
	}
	if _, err := os.Stat(cfg.Module); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrModule, cfg.Module, errors.Unwrap(err))
	}
	if cfg.Token == "" {
		return fmt.Errorf("%w: no token label given", ErrToken)
	}
	if cfg.KeyLabel == "" {
		return fmt.Errorf("%w: no key label given", ErrKey)
	}
	if cfg.PIN == "" {
		return fmt.Errorf("%w: no PIN given", ErrPIN)
	}
	return nil
}
