// Package xmltexttest tests package xmltext of the verifier module
// against the tool's list writer (see package verifiertest).
package xmltexttest
