package fetch

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/drim-m/trust-space/tool/internal/testpki"
	"github.com/drim-m/trust-space/tool/internal/whitelist"
)

// A DRIMbox that lost its state file (a restored backup, a wiped /var/lib)
// keeps its guard against going back: the lists kept in the folder are
// verified again and the latest that passes stands for the state, its
// content digest included. A file that does not verify stands for nothing;
// with nothing to stand for it, the run refuses unless told otherwise.
func TestFetchRecoversLostState(t *testing.T) {
	fx := newFixture(t)
	first := fx.list(t, t0, 3, nil)
	second := fx.list(t, t0.Add(24*time.Hour), 4, nil)
	// Another list of the same date: validly signed (a signing slip, or a
	// key used twice), it must not replace the list held once the state
	// is gone, as it would not with the state.
	sameDate := fx.list(t, t0.Add(24*time.Hour), 5, nil)
	stateFile := filepath.Join(fx.dir, "state.json")
	for _, l := range [][]byte{first, second} {
		fx.srv.serve(l)
		if res := fx.run(t, t0.Add(25*time.Hour)); res.Status != Updated {
			t.Fatalf("setting up: %+v", res)
		}
	}
	want, err := whitelist.ReadState(stateFile)
	if err != nil || want == nil {
		t.Fatalf("state %+v, %v", want, err)
	}
	lose := func() {
		t.Helper()
		if err := os.Remove(stateFile); err != nil {
			t.Fatal(err)
		}
	}

	lose()
	fx.srv.serve(sameDate)
	res := fx.run(t, t0.Add(26*time.Hour))
	if res.Status != Kept || !errors.Is(res.Err, whitelist.ErrRollback) {
		t.Fatalf("a list of the same date, other content, without the state: %+v", res)
	}
	if got, err := whitelist.ReadState(stateFile); err != nil || got == nil || *got != *want {
		t.Errorf("the state recovered is %+v (%v), want %+v", got, err, want)
	}

	lose()
	fx.srv.serve(first)
	if res := fx.run(t, t0.Add(26*time.Hour)); res.Status != Kept || !errors.Is(res.Err, whitelist.ErrRollback) {
		t.Fatalf("the older list without the state: %+v", res)
	}

	// A list kept that no longer verifies — here one signed far ahead by
	// a PKI the DRIMbox does not trust — sets no floor: it would refuse
	// every list to come. The previous one, verified, does.
	other, err := testpki.New(testpki.Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	forged := fx.list(t, t0.Add(24*365*time.Hour), 1, other.Signer)
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(fx.dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(CurrentFile, forged)
	lose()
	fx.srv.serve(first)
	if res := fx.run(t, t0.Add(26*time.Hour)); res.Status != Updated {
		t.Fatalf("the previous list, verified, is the floor: its own date is not going back, yet: %+v", res)
	}
	write(CurrentFile, forged)
	write(PreviousFile, first)
	lose()
	fx.srv.serve(second)
	if res := fx.run(t, t0.Add(26*time.Hour)); res.Status != Updated || !bytes.Equal(fx.current(t), second) {
		t.Fatalf("a later list, with a forged list kept: %+v", res)
	}

	// Nothing kept verifies: refused, unless the operator accepts it. A
	// file past the download cap is not read at all.
	write(CurrentFile, forged)
	write(PreviousFile, bytes.Repeat([]byte(" "), len(second)+1))
	lose()
	fx.srv.serve(first)
	opts := fx.options(t0.Add(26 * time.Hour))
	opts.MaxBytes = int64(len(second))
	_, err = Run(context.Background(), opts)
	if !errors.Is(err, ErrStateLost) || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("no list kept verifies: %v, want ErrStateLost", err)
	}
	if _, err := os.Stat(stateFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a state was written from lists that do not verify: %v", err)
	}
	if !bytes.Equal(fx.current(t), forged) {
		t.Error("the refused run changed the folder")
	}
	res = fx.run(t, t0.Add(26*time.Hour), func(o *Options) { o.AcceptLostState = true })
	if res.Status != Updated || !bytes.Equal(fx.current(t), first) {
		t.Fatalf("with AcceptLostState: %+v", res)
	}

	// A new DRIMbox's empty folder needs no such choice.
	fx.dir = t.TempDir()
	if res := fx.run(t, t0.Add(26*time.Hour)); res.Status != Updated {
		t.Fatalf("first run in an empty folder: %+v", res)
	}
}
