package format

import (
	"errors"
	"fmt"

	"github.com/drim-m/trust-space/tool/listeblanche/xades"
)

// Prepare reads an unsigned list for signing (see xades.Prepare), holding
// it to the format as Parse does in the same pass over data: the bytes
// signed are the bytes checked, read once. It refuses what Parse refuses,
// as format errors, and what xades.Prepare refuses besides.
func Prepare(data []byte) (*xades.Prepared, error) {
	r := formatErrors{&reader{streaming: true, seen: make(map[int]bool, 1024)}}
	p, err := xades.Prepare(data, xades.DefaultLimits, r)
	if err != nil && (errors.Is(err, xades.ErrMalformed) || errors.Is(err, xades.ErrForbidden) || errors.Is(err, xades.ErrLimit)) {
		err = asFormat(err)
	}
	return p, err
}

// formatErrors marks what the reader refuses as format errors, which is
// how Parse reports them.
type formatErrors struct{ r *reader }

func (f formatErrors) Start(uri, local string, attrs []xades.Attr) error {
	return asFormat(f.r.Start(uri, local, attrs))
}

func (f formatErrors) Text(run []byte) error { return asFormat(f.r.Text(run)) }

func (f formatErrors) End() error { return asFormat(f.r.End()) }

func asFormat(err error) error {
	if err == nil || errors.Is(err, ErrFormat) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrFormat, err)
}
