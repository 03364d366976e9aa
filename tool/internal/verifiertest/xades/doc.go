// Package xadestest tests package xades of the verifier module with the
// tool's test PKI, SoftHSM2 tokens and the ANS's published lists (see
// package verifiertest).
package xadestest
