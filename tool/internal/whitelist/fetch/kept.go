//go:build unix

package fetch

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// readKept reads a file a run left in the folder, which anyone who can
// write the folder may have replaced: a FIFO there would hold the run past
// its deadline (a read has no deadline), a link to /dev/zero or to a huge
// file would fill the memory. The file is opened without blocking and read
// only if it is a regular file of at most max bytes; a symbolic link is
// followed, as drimm replaces it with a file at the next write anyway. A
// missing file is os.ErrNotExist.
func readKept(path string, max int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s); drimm writes only files there: remove it", path, fi.Mode().Type())
	}
	if fi.Size() > max {
		return nil, fmt.Errorf("%s: %w: %d bytes, the cap is %d; remove it", path, ErrTooLarge, fi.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: %w: it grew past the cap of %d bytes while it was read; remove it", path, ErrTooLarge, max)
	}
	return data, nil
}
