#!/usr/bin/env bash
# Copies the parts of the Système de Design de l'État (npm @gouvfr/dsfr)
# that the Météo des DRIMbox uses into tool/internal/site/assets/dsfr,
# where drimm embeds them: a build of the page needs neither npm nor the
# network. Run it to move to another DSFR version (DSFR_VERSION), then
# rebuild the golden files (go test ./tool/internal/site -update) and
# review them.
#
# What is copied: the core style sheet, the logo, header and footer
# components, the Marianne font in the weights the core uses (woff2 only:
# every browser that runs the page reads it), the icon the core's links
# draw, the licence. scheme-dark.css is made here: the DSFR switches to
# its dark palette with a script (data-fr-theme="dark"); the page runs
# none, so the dark palette is applied by prefers-color-scheme instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=${DSFR_VERSION:-1.15.3}
dest=tool/internal/site/assets/dsfr
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@gouvfr/dsfr@$version" >/dev/null && tar xzf gouvfr-dsfr-*.tgz)
src=$work/package/dist
rm -rf "$dest"
mkdir -p "$dest/core" "$dest/component/logo" "$dest/component/header" "$dest/component/footer" "$dest/fonts" "$dest/icons/system"
cp "$src/core/core.min.css" "$dest/core/"
for c in logo header footer; do cp "$src/component/$c/$c.min.css" "$dest/component/$c/"; done
for f in Marianne-Regular Marianne-Medium Marianne-Bold; do cp "$src/fonts/$f.woff2" "$dest/fonts/"; done
cp "$src/icons/system/external-link-line.svg" "$dest/icons/system/"
cp "$work/package/LICENSE.md" "$dest/LICENSE.md"
echo "$version" > "$dest/VERSION"
# The dark palette: the block the DSFR applies under data-fr-theme="dark".
grep -o ':root\[data-fr-theme=dark\]{[^}]*}' "$src/dsfr.min.css" | head -1 |
  sed -e 's/^:root\[data-fr-theme=dark\]{/@media (prefers-color-scheme: dark){:root{color-scheme:dark;/' -e 's/}$/}}/' > "$dest/scheme-dark.css"
test -s "$dest/scheme-dark.css"
du -sh "$dest"
