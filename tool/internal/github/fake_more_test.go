package github

import (
	"net/http"
	"regexp"
	"strconv"
)

var (
	rulesetsRe = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/rulesets$`)
	rulesetRe  = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/rulesets/([0-9]+)$`)
)

// routeScopes are the scopes that grant the routes serveMore answers.
func routeScopes(path string) []string {
	if rulesetsRe.MatchString(path) || rulesetRe.MatchString(path) {
		// Anyone who can read the repository reads its rulesets.
		return []string{"metadata"}
	}
	return nil
}

// AddRuleset stores a repository ruleset as GitHub answers it in full.
func (f *fakeGitHub) AddRuleset(rs map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	rs["id"], rs["source_type"], rs["source"] = f.nextID, "Repository", f.owner+"/"+f.repo
	rs["node_id"], rs["created_at"], rs["updated_at"] = "RRS_lACkVXNlcgQB", f.stamp(), f.stamp()
	rs["_links"] = map[string]any{"self": map[string]any{"href": f.repoURL() + "/rulesets/" + strconv.FormatInt(f.nextID, 10)}}
	f.rulesets = append(f.rulesets, rs)
}

// serveMore answers the routes beyond issues and pull requests; false
// when none matches.
func (f *fakeGitHub) serveMore(w http.ResponseWriter, r *http.Request, req request) bool {
	switch {
	case r.Method == "GET" && rulesetsRe.MatchString(r.URL.Path):
		if r.URL.Query().Get("includes_parents") != "false" {
			f.t.Errorf("rulesets listed with the organisation's: %s", r.URL.RawQuery)
		}
		var list []map[string]any
		for _, rs := range f.rulesets {
			list = append(list, map[string]any{"id": rs["id"], "name": rs["name"], "target": rs["target"], "source_type": rs["source_type"],
				"source": rs["source"], "enforcement": rs["enforcement"], "node_id": rs["node_id"], "_links": rs["_links"]})
		}
		f.page(w, r, list)
	case r.Method == "GET" && rulesetRe.MatchString(r.URL.Path):
		id, _ := strconv.ParseInt(rulesetRe.FindStringSubmatch(r.URL.Path)[3], 10, 64)
		for _, rs := range f.rulesets {
			if rs["id"] == id {
				f.answer(w, http.StatusOK, rs)
				return true
			}
		}
		f.answer(w, http.StatusNotFound, errNotFound)
	default:
		return false
	}
	return true
}
