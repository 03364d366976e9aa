//go:build unix

package dossier

import "syscall"

// openFlags keeps opening a named pipe from blocking; the file is refused
// once opened, as it is not a regular file.
const openFlags = syscall.O_NONBLOCK
