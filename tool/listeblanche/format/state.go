package format

import "time"

// State is what a relying party remembers of the last list it accepted, so
// that it never goes back to an older one.
type State struct {
	// Generated is the DateDeGeneration of the last list accepted.
	Generated time.Time `json:"date_de_generation"`
	// ContentSHA256 is the SHA-256 of its signed content (canonical form,
	// without the signature), so that a list re-signed unchanged is accepted.
	ContentSHA256 string `json:"content_sha256"`
	// SigningTime is its signing time.
	SigningTime time.Time `json:"signing_time"`
}
