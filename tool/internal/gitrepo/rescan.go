package gitrepo

import (
	"errors"
	"io/fs"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// rescans bounds how often one read looks at the pack folder again: a
// repack that replaces packs while their list is read needs a second look,
// an object that is truly absent no more than that.
const rescans = 3

// rescanStorage is go-git's object store that, like git itself, looks at
// the pack folder again when an object is missing. go-git lists the packs
// once; git gc (often started by git on its own after a commit or a
// fetch) then writes new packs, deletes the old ones and prunes the loose
// objects it packed, and an object that is there would read as missing.
type rescanStorage struct {
	*filesystem.Storage
}

// missing tells whether err may come from packs and loose objects that
// moved under the reader.
func missing(err error) bool {
	return errors.Is(err, plumbing.ErrObjectNotFound) || errors.Is(err, dotgit.ErrPackfileNotFound) || errors.Is(err, fs.ErrNotExist)
}

// EncodedObject reads an object, rescanning the packs on a miss.
func (s rescanStorage) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	o, err := s.Storage.EncodedObject(t, h)
	for i := 0; i < rescans && missing(err); i++ {
		s.Reindex()
		o, err = s.Storage.EncodedObject(t, h)
	}
	return o, err
}

// HasEncodedObject tells whether an object exists, rescanning the packs
// on a miss.
func (s rescanStorage) HasEncodedObject(h plumbing.Hash) error {
	err := s.Storage.HasEncodedObject(h)
	for i := 0; i < rescans && missing(err); i++ {
		s.Reindex()
		err = s.Storage.HasEncodedObject(h)
	}
	return err
}

// EncodedObjectSize reads an object's size, rescanning the packs on a
// miss.
func (s rescanStorage) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	n, err := s.Storage.EncodedObjectSize(h)
	for i := 0; i < rescans && missing(err); i++ {
		s.Reindex()
		n, err = s.Storage.EncodedObjectSize(h)
	}
	return n, err
}
