package cli

import (
	"crypto"
	"crypto/x509"
	"time"
)

// pendingKey is a signing key being opened (signerFlags.openSoon).
type pendingKey struct {
	done    chan struct{}
	key     crypto.Signer
	chain   []*x509.Certificate
	release func()
	err     error
}

// openSoon starts open in the background and returns at once: a command
// that must read its input anyway does so while the HSM's module loads.
// Errors wait for pendingKey.wait, so that the input's are told first.
func (s *signerFlags) openSoon(env *Env, at time.Time) *pendingKey {
	p := &pendingKey{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.key, p.chain, p.release, p.err = s.open(env, at)
	}()
	return p
}

// wait returns the key and its chain once open is done.
func (p *pendingKey) wait() (crypto.Signer, []*x509.Certificate, error) {
	<-p.done
	return p.key, p.chain, p.err
}

// close waits for open and releases the key it opened, if any.
func (p *pendingKey) close() {
	<-p.done
	if p.err == nil {
		p.release()
	}
}
