package site

import _ "embed"

// ageJS keeps the age of the last run current on the index, where script
// runs; without it the page shows the run's time, which does not go
// stale in a cache as a written age would.
//
//go:embed age.js
var ageJS []byte
