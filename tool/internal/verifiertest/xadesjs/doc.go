// Package xadesjstest has xadesjs, the JavaScript XAdES implementation a
// DRIMbox written for Node.js would use, verify the lists drimm signs and
// the homologation kit's vectors. verify.js is the verifier; the Go tests
// run it with the node and the xadesjs that tool/scripts/install-deps.sh
// installs.
package xadesjstest
