package testpki

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// SoftHSMModule is where Debian's softhsm2 package installs the PKCS#11
// module.
const SoftHSMModule = "/usr/lib/softhsm/libsofthsm2.so"

// SoftHSM is a SoftHSM2 configuration of its own, with its token directory
// under Dir. The PKCS#11 module reads the configuration file named by the
// SOFTHSM2_CONF environment variable: a process that loads the module must
// have Env() in its environment before it first opens it.
type SoftHSM struct {
	Dir  string // holds softhsm2.conf and tokens/
	Conf string // the configuration file
}

// Token is a SoftHSM2 token holding one key pair, and all a signer needs to
// reach it.
type Token struct {
	Module   string // the PKCS#11 module path
	Conf     string // the SOFTHSM2_CONF value
	Label    string // the token label
	KeyLabel string // the key pair's label
	PIN      string // the user PIN
}

// NewSoftHSM writes a SoftHSM2 configuration whose tokens live in
// dir/tokens. It fails, saying which package to install, when softhsm2-util
// or the module is missing.
func NewSoftHSM(dir string) (*SoftHSM, error) {
	if _, err := exec.LookPath("softhsm2-util"); err != nil {
		return nil, fmt.Errorf("softhsm2-util not found: install the softhsm2 package")
	}
	if _, err := os.Stat(SoftHSMModule); err != nil {
		return nil, fmt.Errorf("%s not found: install the softhsm2 package", SoftHSMModule)
	}
	tokens := filepath.Join(dir, "tokens")
	if err := os.MkdirAll(tokens, 0o700); err != nil {
		return nil, fmt.Errorf("creating %s: %w", tokens, err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	body := fmt.Sprintf("directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n", tokens)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		return nil, fmt.Errorf("writing %s: %w", conf, err)
	}
	return &SoftHSM{Dir: dir, Conf: conf}, nil
}

// Env is the environment entry that points the module at this configuration.
func (h *SoftHSM) Env() string { return "SOFTHSM2_CONF=" + h.Conf }

// CreateToken initialises a token labelled label with the user PIN pin and
// imports cert's private key into it as a key pair labelled keyLabel.
func (h *SoftHSM) CreateToken(label, pin string, cert *Cert, keyLabel string) (*Token, error) {
	so := make([]byte, 8)
	if _, err := rand.Read(so); err != nil {
		return nil, err
	}
	if err := h.run("softhsm2-util", "--init-token", "--free", "--label", label,
		"--so-pin", hex.EncodeToString(so), "--pin", pin); err != nil {
		return nil, fmt.Errorf("creating token %q: %w", label, err)
	}
	keyFile := filepath.Join(h.Dir, "import-"+keyLabel+".pem")
	if err := os.WriteFile(keyFile, cert.KeyPEM(), 0o600); err != nil {
		return nil, fmt.Errorf("writing %s: %w", keyFile, err)
	}
	defer os.Remove(keyFile)
	id := hex.EncodeToString(cert.Cert.SubjectKeyId)
	if id == "" {
		id = hex.EncodeToString(cert.Cert.SerialNumber.Bytes())
	}
	if err := h.run("softhsm2-util", "--import", keyFile, "--token", label,
		"--label", keyLabel, "--id", id, "--pin", pin); err != nil {
		return nil, fmt.Errorf("importing key %q into token %q: %w", keyLabel, label, err)
	}
	return &Token{Module: SoftHSMModule, Conf: h.Conf, Label: label, KeyLabel: keyLabel, PIN: pin}, nil
}

func (h *SoftHSM) run(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Env = []string{h.Env()}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", name, err, bytes.TrimSpace(out.Bytes()))
	}
	return nil
}
