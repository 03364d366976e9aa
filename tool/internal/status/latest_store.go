package status

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/drim-m/trust-space/tool/internal/probe"
)

// runInfo is run.json: when the last run started and how it went. It is
// the only file every run rewrites, and it is tiny.
type runInfo struct {
	Run       time.Time `json:"run"`
	NetworkOK bool      `json:"network_ok"`
	Complete  bool      `json:"complete"`
	Interval  Seconds   `json:"interval_seconds"`
	// Vantages is Latest.VantageRuns.
	Vantages map[string]time.Time `json:"vantages,omitempty"`
}

// shardSize is how many Identifiants share a latest/ file: a change of
// state rewrites one small file, not the state of every DRIMbox.
const shardSize = 100

func shardPath(id int) string { return fmt.Sprintf("%s/%03d.json", LatestDir, id/shardSize) }

// marshalShard writes one DRIMbox per line, so a change of state is a
// one-line change in git.
func marshalShard(states []*State) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("[")
	for i, s := range states {
		line, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n")
		b.Write(line)
	}
	b.WriteString("\n]\n")
	return b.Bytes(), nil
}

// writeLatest stores l: run.json always, and each latest/ shard only when
// its content changed.
func writeLatest(fsys FS, l *Latest) error {
	info, err := json.Marshal(runInfo{Run: l.Run, NetworkOK: l.NetworkOK, Complete: l.Complete, Interval: l.Interval, Vantages: l.VantageRuns})
	if err != nil {
		return err
	}
	if err := fsys.WriteFile(RunFile, append(info, '\n')); err != nil {
		return fmt.Errorf("writing %s: %w", RunFile, err)
	}
	shards := map[string][]*State{}
	for _, s := range l.DRIMboxes {
		p := shardPath(s.ID)
		shards[p] = append(shards[p], s)
	}
	old, err := fsys.ReadDir(LatestDir)
	if err != nil {
		return err
	}
	for _, name := range old {
		if p := LatestDir + "/" + name; shards[p] == nil {
			if err := fsys.Remove(p); err != nil {
				return err
			}
		}
	}
	for p, states := range shards {
		data, err := marshalShard(states)
		if err != nil {
			return err
		}
		if cur, err := fsys.ReadFile(p); err == nil && bytes.Equal(cur, data) {
			continue
		}
		if err := fsys.WriteFile(p, data); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}

// NotUp lists the DRIMboxes that were not up at the last run recorded in
// fsys, as vantage point vantage saw them (empty: the state decided).
// It is empty when no run was recorded.
func NotUp(fsys FS, vantage string) (map[int]bool, error) {
	if vantage != "" {
		if !ValidVantage(vantage) {
			return nil, fmt.Errorf("vantage point %q: use lower-case letters, digits and dashes (at most 32)", vantage)
		}
		fsys = sub{fsys, VantagesDir + "/" + vantage + "/"}
	}
	l, err := readLatest(fsys)
	if err != nil || l == nil {
		return nil, err
	}
	out := map[int]bool{}
	for _, st := range l.DRIMboxes {
		if st.Verdict != probe.Up {
			out[st.ID] = true
		}
	}
	return out, nil
}

// readLatest reads run.json and the latest/ shards; nil when no run was
// ever recorded.
func readLatest(fsys FS) (*Latest, error) {
	data, err := fsys.ReadFile(RunFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", RunFile, err)
	}
	var info runInfo
	if err := json.Unmarshal(data, &info); err != nil {
		return nil, fmt.Errorf("%s: %w", RunFile, err)
	}
	l := &Latest{Run: info.Run, NetworkOK: info.NetworkOK, Complete: info.Complete, Interval: info.Interval, VantageRuns: info.Vantages}
	names, err := fsys.ReadDir(LatestDir)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		p := LatestDir + "/" + name
		data, err := fsys.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		var states []*State
		if err := json.Unmarshal(data, &states); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		l.DRIMboxes = append(l.DRIMboxes, states...)
	}
	slices.SortFunc(l.DRIMboxes, func(a, b *State) int { return a.ID - b.ID })
	// The vantage points' run times are kept once, in run.json.
	for _, st := range l.DRIMboxes {
		for k := range st.Vantages {
			if at, ok := l.VantageRuns[st.Vantages[k].Name]; ok {
				st.Vantages[k].Run = at
			}
		}
	}
	return l, nil
}
