// Package listeblanchetest tests package listeblanche of the verifier module with the
// tool's test PKI, SoftHSM2 tokens and the ANS's published lists (see
// package verifiertest).
package listeblanchetest
