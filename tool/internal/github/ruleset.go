package github

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// Rulesets reads the repository's own rulesets (not its organisation's)
// through the API, each in full, by name, as GitHub returns them. Only a
// token of a repository admin sees their bypass actors.
func (c *Client) Rulesets(ctx context.Context) (map[string]json.RawMessage, error) {
	type entry struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	var list []entry
	err := paginate(ctx, func(opts *gh.ListOptions) (*gh.Response, error) {
		u := fmt.Sprintf("repos/%s/%s/rulesets?includes_parents=false&per_page=%d&page=%d", c.owner, c.repo, opts.PerPage, opts.Page)
		req, err := c.gh.NewRequest("GET", u, nil)
		if err != nil {
			return nil, err
		}
		var page []entry
		resp, err := c.gh.Do(ctx, req, &page)
		if err != nil {
			return nil, fmt.Errorf("listing the rulesets: %w", err)
		}
		list = append(list, page...)
		return resp, nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]json.RawMessage{}
	for _, e := range list {
		req, err := c.gh.NewRequest("GET", fmt.Sprintf("repos/%s/%s/rulesets/%d", c.owner, c.repo, e.ID), nil)
		if err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if _, err := c.gh.Do(ctx, req, &raw); err != nil {
			return nil, fmt.Errorf("reading ruleset %q: %w", e.Name, err)
		}
		if _, dup := out[e.Name]; dup {
			return nil, fmt.Errorf("two rulesets are named %q", e.Name)
		}
		out[e.Name] = raw
	}
	return out, nil
}

// RulesetDrift compares a live ruleset with the one shipped in the
// repository: every key the shipped one sets must hold the same value live
// (GitHub adds ids, links and defaults, which are not compared), and lists
// (rules, required checks, bypass actors, branch patterns) must hold the
// same elements, matched by their type, context or actor. It returns one
// line per difference, by path, empty when they agree.
func RulesetDrift(want, live []byte) ([]string, error) {
	var w, l any
	if err := json.Unmarshal(want, &w); err != nil {
		return nil, fmt.Errorf("the shipped ruleset is not JSON: %v", err)
	}
	if err := json.Unmarshal(live, &l); err != nil {
		return nil, fmt.Errorf("GitHub's ruleset is not JSON: %v", err)
	}
	var out []string
	drift("", w, l, &out)
	return out, nil
}

func drift(path string, want, live any, out *[]string) {
	switch w := want.(type) {
	case map[string]any:
		l, ok := live.(map[string]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: live %s, want %s", orRoot(path), js(live), js(want)))
			return
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := strings.TrimPrefix(path+"."+k, ".")
			lv, ok := l[k]
			if !ok {
				*out = append(*out, fmt.Sprintf("%s: missing live, want %s", p, js(w[k])))
				continue
			}
			drift(p, w[k], lv, out)
		}
	case []any:
		l, ok := live.([]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: live %s, want %s", orRoot(path), js(live), js(want)))
			return
		}
		wk, lk := keyed(w), keyed(l)
		for _, k := range sortedKeys(wk) {
			p := fmt.Sprintf("%s[%s]", path, k)
			if lv, ok := lk[k]; ok {
				drift(p, wk[k], lv, out)
			} else {
				*out = append(*out, fmt.Sprintf("%s: missing live, want %s", p, js(wk[k])))
			}
		}
		for _, k := range sortedKeys(lk) {
			if _, ok := wk[k]; !ok {
				*out = append(*out, fmt.Sprintf("%s[%s]: live has %s, which the shipped ruleset does not", path, k, js(lk[k])))
			}
		}
	default:
		if !reflect.DeepEqual(want, live) {
			*out = append(*out, fmt.Sprintf("%s: live %s, want %s", orRoot(path), js(live), js(want)))
		}
	}
}

// keyed indexes a list's elements by what names them: a rule's type, a
// check's context, an actor, or the value itself.
func keyed(list []any) map[string]any {
	out := map[string]any{}
	for _, e := range list {
		k := js(e)
		if m, ok := e.(map[string]any); ok {
			switch {
			case m["type"] != nil:
				k = fmt.Sprint(m["type"])
			case m["context"] != nil:
				k = fmt.Sprint(m["context"])
			case m["actor_type"] != nil:
				k = fmt.Sprintf("%v %v", m["actor_type"], js(m["actor_id"]))
			}
		} else if s, ok := e.(string); ok {
			k = s
		}
		out[k] = e
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func orRoot(p string) string {
	if p == "" {
		return "(ruleset)"
	}
	return p
}
