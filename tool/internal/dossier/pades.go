package dossier

import (
	"bytes"
	"regexp"
)

// RuleUnsigned marks a PDF attestation that carries no electronic
// signature.
const RuleUnsigned = "ZED-UNSIGNED"

// Attestations are signed electronically (PAdES: a recognised platform or
// a TSP certificate). dossier verify checks that a PDF attestation carries
// a signature — a signature dictionary with its /ByteRange and /Contents —
// not that the signature is valid: full validation is out of scope. A
// signature dictionary is never inside a compressed object stream, since
// its byte range must be found in the file as written, so a scan of the
// raw bytes finds it.
var (
	sigTypeRe   = regexp.MustCompile(`/Type\s*/Sig\b`)
	subFilterRe = regexp.MustCompile(`/SubFilter\s*/(ETSI\.CAdES\.detached|adbe\.pkcs7\.detached|ETSI\.RFC3161|adbe\.pkcs7\.sha1)`)
	byteRangeRe = regexp.MustCompile(`/ByteRange\s*\[\s*[0-9]+\s+[0-9]+\s+[0-9]+\s+[0-9]+\s*\]`)
	contentsRe  = regexp.MustCompile(`/Contents\s*<[0-9A-Fa-f]{16}`)
)

// sigScan looks for a PDF signature dictionary in a stream of chunks,
// keeping enough of each chunk's end to see a marker split across two.
type sigScan struct {
	tail                             []byte
	sig, subFilter, byteRange, value bool
}

const sigScanOverlap = 128

func (s *sigScan) Write(p []byte) {
	buf := append(s.tail, p...)
	s.sig = s.sig || sigTypeRe.Match(buf)
	s.subFilter = s.subFilter || subFilterRe.Match(buf)
	s.byteRange = s.byteRange || byteRangeRe.Match(buf)
	s.value = s.value || contentsRe.Match(buf)
	if len(buf) > sigScanOverlap {
		buf = buf[len(buf)-sigScanOverlap:]
	}
	s.tail = bytes.Clone(buf)
}

// signed tells whether the stream held a signature dictionary.
func (s *sigScan) signed() bool {
	return (s.sig || s.subFilter) && s.byteRange && s.value
}
