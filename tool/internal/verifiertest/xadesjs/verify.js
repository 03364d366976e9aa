// verify.js checks a signed Liste Blanche with xadesjs, an XAdES
// implementation independent of drimm's (and of xmlsec1's), as a
// DRIMbox written in JavaScript would: cryptography only, no trust
// chain, no revocation, no profile or freshness policy.
//
// Usage: NODE_PATH="$(npm root -g)" node verify.js [--stock] LIST.xml
// xadesjs 2.6.8 does not implement the XPath Filter 2.0 transform the
// ANS profile's content reference uses: with --stock it refuses every
// ANS list for that; without, the script registers the one filter the
// profile uses, as a DRIMbox built on xadesjs has to.
// Prints "valid" and exits 0 when every reference digest and the
// SignatureValue verify with the key of the KeyInfo certificate that the
// SigningCertificateV2 property names; prints "invalid: ..." and exits 1 otherwise,
// including on any exception (an unreadable list is not a valid one).
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const DS = "http://www.w3.org/2000/09/xmldsig#";
const XADES = "http://uri.etsi.org/01903/v1.3.2#";
const FILTER2 = "http://www.w3.org/2002/06/xmldsig-filter2";

// xadesjs brings its own DOM and XPath: take them from beside it rather
// than from whatever else the global node_modules holds.
const HASHES = {
  "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
  "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
  "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
};

function fromXadesjs(name) {
  const base = path.dirname(require.resolve("xadesjs/package.json"));
  return require(require.resolve(name, { paths: [base] }));
}

// filter2Subtract is the one XPath Filter 2.0 transform the ANS profile
// (and drimm) use, which xmldsigjs does not implement: subtract every
// ds:Signature from the document, as the enveloped-signature transform
// does for a signature that is a child of the root. Any other filter
// or expression is refused rather than guessed at.
function filter2Subtract(dsig) {
  return class Filter2Subtract extends dsig.Transform {
    constructor() {
      super();
      this.Algorithm = FILTER2;
    }
    LoadXml(element) {
      super.LoadXml(element);
      const xpaths = [];
      for (let n = element.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 1) {
          xpaths.push(n);
        }
      }
      const x = xpaths[0];
      if (xpaths.length !== 1 || x.namespaceURI !== FILTER2 || x.localName !== "XPath" ||
        x.getAttribute("Filter") !== "subtract" || x.textContent.trim() !== "/descendant::ds:Signature" ||
        x.lookupNamespaceURI("ds") !== DS) {
        throw new Error("unsupported XPath Filter 2.0 transform");
      }
    }
    GetOutput() {
      const root = this.innerXml;
      const found = root.getElementsByTagNameNS(DS, "Signature");
      const sigs = [];
      for (let i = 0; i < found.length; i++) {
        sigs.push(found[i]);
      }
      if (root.namespaceURI === DS && root.localName === "Signature") {
        throw new Error("XPath Filter 2.0 subtracts the whole document");
      }
      for (const s of sigs) {
        s.parentNode.removeChild(s);
      }
      return root;
    }
  };
}

function fail(msg) {
  process.stdout.write("invalid: " + msg.replace(/\s+/g, " ") + "\n");
  process.exit(1);
}

async function main() {
  const args = process.argv.slice(2);
  const stock = args[0] === "--stock";
  if (stock) {
    args.shift();
  }
  if (args.length !== 1) {
    process.stderr.write("usage: node verify.js [--stock] LIST.xml\n");
    process.exit(2);
  }
  const xadesjs = require("xadesjs");
  const xmldom = fromXadesjs("@xmldom/xmldom");
  xadesjs.setNodeDependencies({
    DOMParser: xmldom.DOMParser,
    XMLSerializer: xmldom.XMLSerializer,
    DOMImplementation: xmldom.DOMImplementation,
    xpath: fromXadesjs("xpath"),
  });
  xadesjs.Application.setEngine("NodeJS", globalThis.crypto);
  if (!stock) {
    const dsig = fromXadesjs("xmldsigjs");
    dsig.CryptoConfig.RegisterTransform(FILTER2, filter2Subtract(dsig));
  }

  const doc = xadesjs.Parse(fs.readFileSync(args[0], "utf8"));
  const sigs = doc.getElementsByTagNameNS(DS, "Signature");
  if (sigs.length !== 1) {
    fail(`${sigs.length} ds:Signature elements, want 1`);
  }
  const signed = new xadesjs.SignedXml(doc);
  signed.LoadXml(sigs[0]);
  const refs = signed.XmlSignature.SignedInfo.References;
  const types = [];
  for (let i = 0; i < refs.Count; i++) {
    types.push(refs.Item(i).Type || "content");
  }
  // xadesjs reads its Properties from the first element named
  // QualifyingProperties in any ds:Object, whatever the signature
  // references: a forged, unsigned copy placed first would be what it
  // reports. Require one, and that it is the referenced one.
  const qps = sigs[0].getElementsByTagNameNS(XADES, "QualifyingProperties");
  if (!signed.Properties || qps.length !== 1) {
    fail(`${qps.length} xades:QualifyingProperties, want 1`);
  }
  const spRefs = [];
  for (let i = 0; i < refs.Count; i++) {
    if (refs.Item(i).Type === "http://uri.etsi.org/01903#SignedProperties") {
      spRefs.push(refs.Item(i));
    }
  }
  if (spRefs.length !== 1 || spRefs[0].Uri !== "#" + signed.Properties.SignedProperties.Id) {
    fail("no SignedProperties reference names the xades:SignedProperties xadesjs read");
  }
  // xadesjs's own VerifySigningCertificate knows only SigningCertificate
  // (v1, SHA-256); the ANS profile writes SigningCertificateV2. Check its
  // CertDigest here, and verify with that certificate's key only, so that
  // the signed properties bind the key that verifies (EN 319 132-1 5.2.2).
  const ssp = signed.Properties.SignedProperties.SignedSignatureProperties;
  if (ssp.SigningCertificateV2.Count !== 1 || ssp.SigningCertificate.Count !== 0) {
    fail("want exactly one xades:SigningCertificateV2 (and no v1)");
  }
  const certID = ssp.SigningCertificateV2.Item(0);
  const hash = HASHES[certID.CertDigest.DigestMethod.Algorithm];
  if (!hash) {
    fail(`CertDigest algorithm ${certID.CertDigest.DigestMethod.Algorithm} unsupported`);
  }
  const want = Buffer.from(certID.CertDigest.DigestValue).toString("base64");
  let signer = null;
  for (const kic of signed.XmlSignature.KeyInfo.GetIterator()) {
    for (const cert of kic.Certificates || []) {
      const got = crypto.createHash(hash).update(Buffer.from(cert.GetRaw())).digest("base64");
      if (got === want) {
        signer = cert;
      }
    }
  }
  if (!signer) {
    fail("no KeyInfo certificate matches SigningCertificateV2's CertDigest");
  }
  // LoadXml set signed.Algorithm from SignedInfo's SignatureMethod.
  const alg = signed.Algorithm;
  // Verify throws on a reference whose digest differs, and returns false
  // when the key does not verify the SignatureValue.
  if (!(await signed.Verify(await signer.exportKey(alg)))) {
    fail("the SignatureValue does not verify with the signing certificate's key");
  }
  process.stdout.write(`valid: ${refs.Count} references (${types.join(", ")})\n`);
}

main().catch((e) => fail(String((e && e.message) || e)));
