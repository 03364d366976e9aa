package kit

import (
	"bytes"
	"regexp"
)

var signatureRe = regexp.MustCompile(`<ds:Signature [^>]*>.*</ds:Signature>`)

// changeOneByte changes one letter of the first Denomination, or of the
// generation date when the list is empty.
func changeOneByte(doc []byte) []byte {
	out := bytes.Clone(doc)
	at := bytes.Index(out, []byte("<Denomination>"))
	if at < 0 {
		at = bytes.Index(out, []byte("<DateDeGeneration>")) + len("<DateDeGeneration>") + 2
	} else {
		at += len("<Denomination>")
	}
	if out[at] == 'X' {
		out[at] = 'Y'
	} else {
		out[at] = 'X'
	}
	return out
}

// wrap adds a forged entry and hides the signed list in the signature.
func wrap(doc []byte) []byte {
	sig := signatureRe.Find(doc)
	body := signatureRe.ReplaceAll(doc, nil)
	original := body[bytes.Index(body, []byte("<ListeBlancheDRIM-M")):]
	forged := []byte("<Domaine><Identifiant>999999</Identifiant><db>db999999.attaquant.example</db><vi></vi>" +
		"<Denomination>ATTAQUANT</Denomination><DNCertificatOperateur>CN=db999999.attaquant.example,C=FR</DNCertificatOperateur>" +
		"<SupportContact>attaquant@attaquant.example</SupportContact><DateMAJ>2026-01-01T00:00:00Z</DateMAJ></Domaine>\n")
	if bytes.Contains(body, []byte("<ListeDomaines/>")) {
		body = bytes.Replace(body, []byte("<ListeDomaines/>"), append(append([]byte("<ListeDomaines>"), forged...), "</ListeDomaines>"...), 1)
	} else {
		body = bytes.Replace(body, []byte("</ListeDomaines>"), append(forged, "</ListeDomaines>"...), 1)
	}
	hidden := append(append([]byte("<ds:Object>"), bytes.TrimSpace(original)...), "</ds:Object></ds:Signature>"...)
	wrapped := bytes.Replace(sig, []byte("</ds:Signature>"), hidden, 1)
	end := bytes.LastIndex(body, []byte("</ListeBlancheDRIM-M>"))
	return append(append(bytes.Clone(body[:end]), wrapped...), body[end:]...)
}

// secondSignature repeats the signature.
func secondSignature(doc []byte) []byte {
	sig := signatureRe.Find(doc)
	i := bytes.Index(doc, sig)
	return append(append(bytes.Clone(doc[:i]), sig...), doc[i:]...)
}

// injectComment puts an empty comment inside the first db value.
func injectComment(doc []byte) []byte {
	at := bytes.Index(doc, []byte("<db>"))
	if at < 0 {
		at = bytes.Index(doc, []byte("<DateDeGeneration>")) + len("<DateDeGeneration>") + 4
	} else {
		at += len("<db>") + 2
	}
	return append(append(bytes.Clone(doc[:at]), "<!---->"...), doc[at:]...)
}

// withDoctype declares an entity after the XML declaration.
func withDoctype(doc []byte) []byte {
	at := bytes.Index(doc, []byte("?>")) + 2
	return append(append(bytes.Clone(doc[:at]), "\n<!DOCTYPE ListeBlancheDRIM-M [<!ENTITY drimm \"DRIM-M\">]>"...), doc[at:]...)
}

// unsignedProperties puts a forged entry under xades:UnsignedProperties,
// where no signature covers it.
func unsignedProperties(doc []byte) []byte {
	forged := "<xades:UnsignedProperties><xades:UnsignedSignatureProperties><Domaine><Identifiant>999999</Identifiant>" +
		"<db>db999999.attaquant.example</db></Domaine></xades:UnsignedSignatureProperties></xades:UnsignedProperties>"
	return bytes.Replace(doc, []byte("</xades:SignedProperties>"), []byte("</xades:SignedProperties>"+forged), 1)
}

var subjectNameRe = regexp.MustCompile(`<ds:X509SubjectName>[^<]*</ds:X509SubjectName>`)

// otherSubjectName makes KeyInfo's X509SubjectName, which no signature
// covers, name another signer than the certificate's.
func otherSubjectName(doc []byte) []byte {
	return subjectNameRe.ReplaceAll(doc, []byte("<ds:X509SubjectName>CN=Autre Signataire,OU=318751275100020,O=AGENCE DU NUMERIQUE EN SANTE,ST=Paris (75),C=FR</ds:X509SubjectName>"))
}
