//go:build !unix

package dossier

// openFlags adds nothing where named pipes cannot appear in a folder walk.
const openFlags = 0
