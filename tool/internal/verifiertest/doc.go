// Package verifiertest holds, in its sub-packages, the tests of the
// verifier module (tool/listeblanche) that need what the module may not
// import: the tool's test PKI, SoftHSM2 tokens, the ANS's published lists.
// The module stays free of the tool's dependencies; its own tests cover
// what needs none of these.
package verifiertest
