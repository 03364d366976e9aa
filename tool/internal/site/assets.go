package site

import (
	"embed"
	"io/fs"
	"path"
)

// The Système de Design de l'État (DSFR, npm @gouvfr/dsfr), the parts the
// page uses, vendored by tool/scripts/vendor-dsfr.sh with its version and
// licence: drimm status build needs neither npm nor the network. The
// DSFR's code is under the Licence Ouverte 2.0 (Etalab); its use, and the
// Marianne font and the State's brand in particular, is reserved to the
// State's own sites, which the ANS's Météo des DRIMbox is.
//
//go:embed assets/dsfr
var dsfrFS embed.FS

// dsfrSheets are the DSFR style sheets every page links, in order, from
// the site's root; style.css comes after them.
var dsfrSheets = []string{"dsfr/core/core.min.css", "dsfr/scheme-dark.css", "dsfr/component/logo/logo.min.css",
	"dsfr/component/header/header.min.css", "dsfr/component/footer/footer.min.css"}

// putAssets copies the DSFR files into the site under dsfr/. A file whose
// bytes the last build wrote is not written again (writer.put), so a
// build after the first copies nothing.
func (w *writer) putAssets() error {
	return fs.WalkDir(dsfrFS, "assets/dsfr", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := dsfrFS.ReadFile(p)
		if err != nil {
			return err
		}
		return w.put(path.Join("dsfr", p[len("assets/dsfr/"):]), data)
	})
}
