package registry

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/drim-m/trust-space/schemas"
)

// Cache remembers records already found clean, keyed by the SHA-256 of
// their kind and exact bytes, so that validating a large registry again
// parses only the files that changed. Positions of cached records are
// recovered by parsing the file only when a finding needs them.
//
// The cache belongs to one build of drimm and one set of schemas: its
// version string must change when either does, and a cache written under
// another version is ignored.
type Cache struct {
	path    string
	version string

	mu    sync.Mutex
	file  cacheFile
	used  map[cacheKey]bool
	dirty bool
}

type cacheKey [sha256.Size]byte

// cacheFile is the cache on disk: one map per record kind, so that gob
// writes each type's description once.
type cacheFile struct {
	Version     string
	TrustSpaces map[cacheKey]*TrustSpace
	Conditions  map[cacheKey]*conditionsFile
	Operators   map[cacheKey]*Operator
	DRIMboxes   map[cacheKey]*DRIMbox
}

func (f *cacheFile) len() int {
	return len(f.TrustSpaces) + len(f.Conditions) + len(f.Operators) + len(f.DRIMboxes)
}

// OpenCache reads the cache at path; a missing, unreadable or foreign
// cache starts empty. version identifies the drimm build.
func OpenCache(path, version string) *Cache {
	c := &Cache{path: path, version: version + "/" + schemasDigest(), used: map[cacheKey]bool{}}
	c.file = cacheFile{Version: c.version, TrustSpaces: map[cacheKey]*TrustSpace{}, Conditions: map[cacheKey]*conditionsFile{},
		Operators: map[cacheKey]*Operator{}, DRIMboxes: map[cacheKey]*DRIMbox{}}
	fh, err := os.Open(path)
	if err != nil {
		return c
	}
	defer fh.Close()
	var f cacheFile
	if gob.NewDecoder(bufio.NewReader(fh)).Decode(&f) == nil && f.Version == c.version {
		c.file.TrustSpaces = orEmpty(f.TrustSpaces)
		c.file.Conditions = orEmpty(f.Conditions)
		c.file.Operators = orEmpty(f.Operators)
		c.file.DRIMboxes = orEmpty(f.DRIMboxes)
	}
	return c
}

func orEmpty[V any](m map[cacheKey]V) map[cacheKey]V {
	if m == nil {
		return map[cacheKey]V{}
	}
	return m
}

func contentKey(kind string, data []byte) cacheKey {
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(data)
	var k cacheKey
	h.Sum(k[:0])
	return k
}

// get returns a shallow copy of the cached record: callers set its Source
// and ID, and never change what it shares with the cache.
func (c *Cache) get(k cacheKey, kind string) any {
	c.mu.Lock()
	defer c.mu.Unlock()
	var rec any
	switch kind {
	case KindTrustSpace:
		if v := c.file.TrustSpaces[k]; v != nil {
			cp := *v
			rec = &cp
		}
	case KindConditions:
		if v := c.file.Conditions[k]; v != nil {
			cp := *v
			rec = &cp
		}
	case KindOperator:
		if v := c.file.Operators[k]; v != nil {
			cp := *v
			rec = &cp
		}
	case KindDRIMbox:
		if v := c.file.DRIMboxes[k]; v != nil {
			cp := *v
			rec = &cp
		}
	}
	if rec != nil {
		c.used[k] = true
	}
	return rec
}

func (c *Cache) put(k cacheKey, rec any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch v := rec.(type) {
	case *TrustSpace:
		cp := *v
		c.file.TrustSpaces[k] = &cp
	case *conditionsFile:
		cp := *v
		c.file.Conditions[k] = &cp
	case *Operator:
		cp := *v
		c.file.Operators[k] = &cp
	case *DRIMbox:
		cp := *v
		c.file.DRIMboxes[k] = &cp
	default:
		return
	}
	c.used[k] = true
	c.dirty = true
}

// Save writes the entries used by this run, dropping the others, when
// anything changed. It writes atomically; failing to save only costs speed.
func (c *Cache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty && len(c.used) == c.file.len() {
		return nil
	}
	keep := cacheFile{Version: c.version, TrustSpaces: prune(c.file.TrustSpaces, c.used), Conditions: prune(c.file.Conditions, c.used),
		Operators: prune(c.file.Operators, c.used), DRIMboxes: prune(c.file.DRIMboxes, c.used)}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(keep); err != nil {
		return fmt.Errorf("encoding cache: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return fmt.Errorf("creating cache folder: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".cache-*")
	if err != nil {
		return fmt.Errorf("writing cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("writing cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing cache: %w", err)
	}
	return os.Rename(tmp.Name(), c.path)
}

func prune[V any](m map[cacheKey]V, used map[cacheKey]bool) map[cacheKey]V {
	out := make(map[cacheKey]V, len(m))
	for k, v := range m {
		if used[k] {
			out[k] = v
		}
	}
	return out
}

var schemasDigest = sync.OnceValue(func() string {
	h := sha256.New()
	entries, _ := schemas.FS.ReadDir(".")
	for _, e := range entries {
		b, _ := schemas.FS.ReadFile(e.Name())
		fmt.Fprintf(h, "%s\x00%d\x00", e.Name(), len(b))
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:8])
})
