package dossier

import (
	"bytes"
	"fmt"

	"github.com/drim-m/trust-space/tool/internal/pdfsig"
)

// RuleUnsigned marks a PDF attestation that carries no electronic
// signature.
const RuleUnsigned = "ZED-UNSIGNED"

// maxSignedPDF bounds the attestation a signature is looked for in: the
// signature's byte range is checked against the whole file, which is kept
// in memory for it. An attestation of a few pages is far below.
const maxSignedPDF = 64 << 20

// Attestations are signed electronically (PAdES: a recognised platform or
// a TSP certificate). dossier verify reads the PDF's signature
// dictionaries and their byte ranges with package pdfsig: a PDF whose
// text merely names /Type /Sig is refused, and so is one changed after
// its last signature. Whether the signature verifies, and who made it, is
// not checked here.
type sigScan struct {
	buf  bytes.Buffer
	size int64
}

func (s *sigScan) Write(p []byte) {
	s.size += int64(len(p))
	if s.size <= maxSignedPDF {
		s.buf.Write(p)
	}
}

// problem says why the file is not a signed PDF, or "" when it is one.
func (s *sigScan) problem() string {
	if s.size > maxSignedPDF {
		return fmt.Sprintf("it is over %d MiB, more than an attestation this check reads", maxSignedPDF>>20)
	}
	if _, err := pdfsig.Check(s.buf.Bytes()); err != nil {
		return err.Error()
	}
	return ""
}
