package registry

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestCacheGivesSameRecordsAndPositions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.gob")
	m := minimal()
	cold, fs, err := FromFilesCached("registry", filesOf(m), OpenCache(path, "v1"))
	if err != nil || len(fs) > 0 {
		t.Fatalf("cold: %v %v", err, fs)
	}
	c := OpenCache(path, "v1")
	if err := c.Save(); err != nil { // nothing used yet: prunes to empty
		t.Fatal(err)
	}
	c = OpenCache(path, "v1")
	if _, _, err := FromFilesCached("registry", filesOf(m), c); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = OpenCache(path, "v1")
	if got := c.file.len(); got != 4 {
		t.Fatalf("cache holds %d records, want 4", got)
	}
	warm, fs, err := FromFilesCached("registry", filesOf(m), c)
	if err != nil || len(fs) > 0 {
		t.Fatalf("warm: %v %v", err, fs)
	}
	if warm.DRIMboxes[0].Source.root != nil {
		t.Fatal("a cached record was parsed although nothing asked for a position")
	}
	if cold.DRIMboxes[0].Certificates.Server.DN != warm.DRIMboxes[0].Certificates.Server.DN || warm.Operators["op-a"].ID != "op-a" {
		t.Fatalf("warm records differ: %+v", warm.DRIMboxes[0])
	}
	// A position asked of a cached record parses the file then.
	if line, col := warm.DRIMboxes[0].Source.Pos("certificates", "server", "dn"); line != 9 || col != 16 {
		t.Fatalf("position = %d:%d, want 9:16", line, col)
	}
	// A changed file is parsed again and its findings reported.
	m["operators/op-a/drimboxes/3.yaml"] = strings.Replace(m["operators/op-a/drimboxes/3.yaml"], "funding: segur", "funding: unknown", 1)
	_, fs, _ = FromFilesCached("registry", filesOf(m), OpenCache(path, "v1"))
	if len(fs) != 1 || fs[0].Rule != "REG-SCHEMA" {
		t.Fatalf("findings after change = %v", fs)
	}
	// Another build ignores the cache.
	if got := OpenCache(path, "v2").file.len(); got != 0 {
		t.Fatalf("foreign cache used: %d records", got)
	}
}
