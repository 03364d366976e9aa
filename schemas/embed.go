// Package schemas embeds the JSON Schemas of the registry records, the
// whitelist XSD and the probe contract, so that drimm validates exactly what
// this folder documents.
package schemas

import "embed"

// FS holds every schema file of this folder.
//
//go:embed *.json
var FS embed.FS
