// Package pdfsig tells whether a PDF carries an electronic signature, read
// from the file's structure as a PDF reader reads it: a signature
// dictionary (/Type /Sig, or the /V of a /FT /Sig field; /Type
// /DocTimeStamp for a PAdES document time-stamp) with /Filter, a PAdES or
// PKCS#7 /SubFilter, a /ByteRange that covers the whole file but exactly
// its /Contents hex string, and /Contents that decodes to a DER CMS
// SignedData. It does not verify the signature, its certificate or its
// signer: text that merely names those keys is not a signature, but a
// signature made with any key is one.
package pdfsig

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
)

// Signature is one signature dictionary of a signed PDF.
type Signature struct {
	// Type is Sig or DocTimeStamp.
	Type, Filter, SubFilter string
	// ByteRange is [0, a, b, c]: the signed bytes are [0, a) and
	// [b, b+c), a and b the ends of the /Contents hex string.
	ByteRange [4]int64
}

// subFilters are the encodings whose /Contents is a CMS SignedData
// (ISO 32000-2 12.8.3): PKCS#7 detached, PAdES (CAdES detached), and the
// RFC 3161 time-stamp token of a document time-stamp.
var subFilters = map[string]string{
	"adbe.pkcs7.detached": "Sig", "ETSI.CAdES.detached": "Sig", "ETSI.RFC3161": "DocTimeStamp",
}

// oidSignedData is CMS's id-signedData (RFC 5652 5.1).
var oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}

var objHeader = regexp.MustCompile(`(\d+)[ \t\r\n\f\x00]+(\d+)[ \t\r\n\f\x00]+obj\b`)

// Check returns the file's signatures in the order of the revisions they
// sign when the file is signed, or says why it is not. Each signature's
// byte range ends at the end of its revision; the last one's is the end of
// the file: nothing was added after the last signature. A signature
// dictionary that does not hold together is an error, not ignored.
func Check(pdf []byte) ([]Signature, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, errors.New("the file is not a PDF (it does not start with %PDF-)")
	}
	objs := map[ref]any{}
	type found struct {
		d      dict
		offset int
	}
	var dicts []found
	for _, m := range objHeader.FindAllSubmatchIndex(pdf, -1) {
		var num, gen int64
		fmt.Sscan(string(pdf[m[2]:m[3]]), &num)
		fmt.Sscan(string(pdf[m[4]:m[5]]), &gen)
		p := &parser{b: pdf, i: m[1]}
		v, err := p.value()
		if err != nil {
			// An object this reader cannot read is no concern of it,
			// unless it is where a signature would be.
			end := bytes.Index(pdf[m[1]:], []byte("endobj"))
			if end < 0 {
				end = len(pdf) - m[1]
			}
			if bytes.Contains(pdf[m[1]:m[1]+end], []byte("/ByteRange")) {
				return nil, fmt.Errorf("object %d %d, which holds a /ByteRange, cannot be read: %v", num, gen, err)
			}
			continue
		}
		objs[ref{num, gen}] = v
		if d, ok := v.(dict); ok {
			dicts = append(dicts, found{d, m[0]})
		}
	}
	var cands []dict
	for _, f := range dicts {
		if t := f.d["Type"]; t == name("Sig") || t == name("DocTimeStamp") {
			cands = append(cands, f.d)
		}
		if f.d["FT"] == name("Sig") {
			v := f.d["V"]
			if r, ok := v.(ref); ok {
				v = objs[r]
			}
			if d, ok := v.(dict); ok {
				cands = append(cands, d)
			}
		}
	}
	sigs := map[int64]Signature{} // by the offset of their /Contents
	for _, d := range cands {
		s, contents, err := signature(pdf, d)
		if err != nil {
			return nil, err
		}
		sigs[contents] = s
	}
	if len(sigs) == 0 {
		return nil, errors.New("no signature dictionary (/Type /Sig with /ByteRange and /Contents) in the file's objects")
	}
	out := make([]Signature, 0, len(sigs))
	for _, s := range sigs {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Signature) int { return int(revisionEnd(a) - revisionEnd(b)) })
	for i := 1; i < len(out); i++ {
		if revisionEnd(out[i]) == revisionEnd(out[i-1]) {
			return nil, fmt.Errorf("two signature dictionaries sign the same bytes (up to offset %d)", revisionEnd(out[i]))
		}
		if out[i].ByteRange[1] < revisionEnd(out[i-1]) {
			return nil, fmt.Errorf("a signature's /Contents (offset %d) lies inside the bytes an earlier signature signed", out[i].ByteRange[1])
		}
	}
	if last := out[len(out)-1]; revisionEnd(last) != int64(len(pdf)) {
		return nil, fmt.Errorf("the last signature signs the first %d bytes of %d: the file was changed after it was signed", revisionEnd(last), len(pdf))
	}
	return out, nil
}

func revisionEnd(s Signature) int64 { return s.ByteRange[2] + s.ByteRange[3] }

// signature reads one signature dictionary and checks that it holds
// together in pdf; contents is the offset of its /Contents.
func signature(pdf []byte, d dict) (Signature, int64, error) {
	var s Signature
	t, _ := d["Type"].(name)
	filter, okF := d["Filter"].(name)
	sub, okS := d["SubFilter"].(name)
	switch {
	case !okF:
		return s, 0, errors.New("a signature dictionary has no /Filter")
	case !okS || subFilters[string(sub)] == "":
		return s, 0, fmt.Errorf("a signature dictionary's /SubFilter %q is not adbe.pkcs7.detached, ETSI.CAdES.detached or ETSI.RFC3161", string(sub))
	case t != "" && string(t) != subFilters[string(sub)]:
		return s, 0, fmt.Errorf("a /Type /%s dictionary has /SubFilter /%s", t, sub)
	}
	s.Type, s.Filter, s.SubFilter = subFilters[string(sub)], string(filter), string(sub)
	br, ok := d["ByteRange"].(array)
	if !ok || len(br) != 4 {
		return s, 0, errors.New("a signature's /ByteRange is not an array of four integers")
	}
	for i, v := range br {
		n, ok := v.(int64)
		if !ok || n < 0 {
			return s, 0, errors.New("a signature's /ByteRange is not an array of four non-negative integers")
		}
		s.ByteRange[i] = n
	}
	c, ok := d["Contents"].(hexString)
	if !ok {
		return s, 0, errors.New("a signature's /Contents is not a hex string")
	}
	a, b, l := s.ByteRange[1], s.ByteRange[2], s.ByteRange[3]
	switch {
	case s.ByteRange[0] != 0:
		return s, 0, fmt.Errorf("a signature's /ByteRange starts at %d, not at the start of the file", s.ByteRange[0])
	case a != c.start || b != c.end:
		return s, 0, fmt.Errorf("a signature's /ByteRange leaves out bytes %d to %d, but its /Contents is at %d to %d: it must leave out exactly the /Contents hex string", a, b, c.start, c.end)
	case l > int64(len(pdf))-b:
		return s, 0, fmt.Errorf("a signature's /ByteRange runs past the end of the file (%d bytes)", len(pdf))
	}
	if err := signedData(c.raw); err != nil {
		return s, 0, fmt.Errorf("a signature's /Contents %v", err)
	}
	return s, c.start, nil
}

// signedData checks that hex is a DER CMS ContentInfo holding a
// SignedData (RFC 5652: version, digestAlgorithms SET, encapContentInfo
// SEQUENCE, …), padded with zeros as signers reserve room for it.
func signedData(hexDigits []byte) error {
	der := make([]byte, hex.DecodedLen(len(hexDigits)))
	if _, err := hex.Decode(der, hexDigits); err != nil {
		return errors.New("is not hex digits")
	}
	var ci struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}
	rest, err := asn1.Unmarshal(der, &ci)
	if err != nil {
		return fmt.Errorf("is not a DER CMS ContentInfo: %v", err)
	}
	if len(bytes.Trim(rest, "\x00")) > 0 {
		return errors.New("holds bytes after its CMS ContentInfo other than zero padding")
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return fmt.Errorf("is a CMS ContentInfo of type %s, not SignedData (1.2.840.113549.1.7.2)", ci.ContentType)
	}
	bad := errors.New("holds a ContentInfo whose content is not a SignedData")
	if ci.Content.Class != asn1.ClassContextSpecific || ci.Content.Tag != 0 || !ci.Content.IsCompound {
		return bad
	}
	var sd asn1.RawValue
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil || len(rest) > 0 || sd.Tag != asn1.TagSequence || !sd.IsCompound {
		return bad
	}
	var version int
	rest, err = asn1.Unmarshal(sd.Bytes, &version)
	if err != nil {
		return bad
	}
	for _, tag := range []int{asn1.TagSet, asn1.TagSequence} {
		var v asn1.RawValue
		if rest, err = asn1.Unmarshal(rest, &v); err != nil || v.Class != asn1.ClassUniversal || v.Tag != tag {
			return bad
		}
	}
	return nil
}
