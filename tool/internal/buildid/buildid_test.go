package buildid

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
)

func TestDigestIsTheExecutables(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if got, want := Digest(), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("Digest() = %q, want %q", got, want)
	}
}
