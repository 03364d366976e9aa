package github

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeGitHub is a local server that answers the REST calls drimm makes as
// GitHub does: the same paths, JSON shapes, Link pagination and rate-limit
// headers. It records every request it receives.
type fakeGitHub struct {
	t       testing.TB
	srv     *httptest.Server
	owner   string
	repo    string
	perPage int // page size it imposes, whatever the client asks
	now     time.Time

	mu       sync.Mutex
	requests []request
	comments map[int][]map[string]any // issue number → comments
	issues   []map[string]any
	files    map[int][]map[string]any
	reviews  map[int][]map[string]any
	pulls    map[int]map[string]any
	nextID   int64
	// limits are answered, in order, before any real answer.
	limits []limitAnswer
	// remaining is X-RateLimit-Remaining on ordinary answers.
	remaining int
	// tokens are the tokens it accepts and what each grants (nil: every
	// permission, the client tests' "test-token"); the workflow runner
	// mints one per job from its permissions:.
	tokens map[string]map[string]string
	// rulesets are the repository's rulesets, as GitHub returns them.
	rulesets []map[string]any
}

type request struct {
	Method, Path, Query, Auth string
	Body                      map[string]any
}

func (r request) String() string { return r.Method + " " + r.Path + query(r.Query) }

func query(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}

type limitAnswer struct {
	method  string // "" for any
	status  int
	headers map[string]string
	message string
}

func newFakeGitHub(t testing.TB) *fakeGitHub {
	f := &fakeGitHub{
		t: t, owner: "ans-drim-m", repo: "trust-space", perPage: 100,
		now:      time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC),
		comments: map[int][]map[string]any{}, files: map[int][]map[string]any{},
		reviews: map[int][]map[string]any{}, pulls: map[int]map[string]any{},
		nextID: 1000, remaining: 4999,
		tokens: map[string]map[string]string{"test-token": nil},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// API is the base URL to give the client, as GITHUB_API_URL.
func (f *fakeGitHub) API() string { return f.srv.URL }

func (f *fakeGitHub) Requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.requests...)
}

func (f *fakeGitHub) user(login string) map[string]any {
	typ := "User"
	if strings.HasSuffix(login, "[bot]") {
		typ = "Bot"
	}
	return map[string]any{
		"login": login, "id": 4200 + len(login), "node_id": "MDQ6VXNlcjE=",
		"avatar_url": "https://avatars.githubusercontent.com/u/1?v=4", "gravatar_id": "",
		"url":      "https://api.github.com/users/" + login,
		"html_url": "https://github.com/" + login, "type": typ, "site_admin": false,
	}
}

func (f *fakeGitHub) stamp() string { return f.now.Format(time.RFC3339) }

func (f *fakeGitHub) repoURL() string {
	return "https://api.github.com/repos/" + f.owner + "/" + f.repo
}

// mint returns a new token that grants perms (scope → read or write).
func (f *fakeGitHub) mint(perms map[string]string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	tok := fmt.Sprintf("ghs_job%04d", len(f.tokens))
	f.tokens[tok] = perms
	return tok
}

// grants tells whether a token carries a permission at a level.
func (f *fakeGitHub) grants(tok, scope, need string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	perms, ok := f.tokens[tok]
	return ok && (perms == nil || level[perms[scope]] >= level[need])
}

// allowed tells whether a token's permissions grant a request: each
// route needs one of the scopes GitHub documents for it, at read for GET
// and at write otherwise. Comments on a pull request take issues or
// pull-requests, as on GitHub.
func (f *fakeGitHub) allowed(perms map[string]string, method, path string) bool {
	if perms == nil {
		return true
	}
	var scopes []string
	switch {
	case commentsRe.MatchString(path):
		m := commentsRe.FindStringSubmatch(path)
		n, _ := strconv.Atoi(m[3])
		scopes = []string{"issues"}
		if _, pr := f.pulls[n]; pr {
			scopes = append(scopes, "pull-requests")
		}
	case commentRe.MatchString(path):
		scopes = []string{"issues", "pull-requests"}
	case issuesRe.MatchString(path), issueRe.MatchString(path):
		scopes = []string{"issues"}
	case pullRe.MatchString(path), pullFilesRe.MatchString(path), pullReviewsRe.MatchString(path), pullsRe.MatchString(path):
		scopes = []string{"pull-requests"}
	default:
		// A route the fake does not know fails the test where it is
		// served.
		if scopes = routeScopes(path); scopes == nil {
			return true
		}
	}
	need := "read"
	if method != "GET" {
		need = "write"
	}
	for _, s := range scopes {
		if level[perms[s]] >= level[need] {
			return true
		}
	}
	return false
}

// AddComment stores a comment as if someone had written it.
func (f *fakeGitHub) AddComment(issue int, login, body string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addComment(issue, login, body)
}

func (f *fakeGitHub) addComment(issue int, login, body string) int64 {
	f.nextID++
	id := f.nextID
	f.comments[issue] = append(f.comments[issue], map[string]any{
		"id": id, "node_id": "IC_kwDOA" + strconv.FormatInt(id, 10),
		"url":                f.repoURL() + "/issues/comments/" + strconv.FormatInt(id, 10),
		"html_url":           fmt.Sprintf("https://github.com/%s/%s/pull/%d#issuecomment-%d", f.owner, f.repo, issue, id),
		"issue_url":          fmt.Sprintf("%s/issues/%d", f.repoURL(), issue),
		"body":               body,
		"user":               f.user(login),
		"created_at":         f.stamp(),
		"updated_at":         f.stamp(),
		"author_association": "NONE",
	})
	return id
}

// Comment returns the stored body of a comment, and whether it exists.
func (f *fakeGitHub) Comments(issue int) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.comments[issue]...)
}

// AddIssue stores an open issue with labels.
func (f *fakeGitHub) AddIssue(title, body string, labels ...string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addIssue(title, body, labels, "ans-reviewer-alpha")
}

func (f *fakeGitHub) addIssue(title, body string, labels []string, login string) int {
	n := len(f.issues) + 1
	var ls []map[string]any
	for i, l := range labels {
		ls = append(ls, map[string]any{"id": 900 + i, "node_id": "LA_kwDO", "url": f.repoURL() + "/labels/" + l, "name": l, "color": "d73a4a", "default": false, "description": ""})
	}
	f.issues = append(f.issues, map[string]any{
		"id": 7000 + n, "node_id": "I_kwDOA" + strconv.Itoa(n), "number": n,
		"url":      fmt.Sprintf("%s/issues/%d", f.repoURL(), n),
		"html_url": fmt.Sprintf("https://github.com/%s/%s/issues/%d", f.owner, f.repo, n),
		"title":    title, "body": body, "state": "open", "state_reason": nil, "locked": false,
		"labels": ls, "user": f.user(login), "comments": 0,
		"created_at": f.stamp(), "updated_at": f.stamp(), "closed_at": nil, "author_association": "MEMBER",
	})
	return n
}

// Issues returns the stored issues.
func (f *fakeGitHub) Issues() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.issues...)
}

// AddPull stores a pull request, its files and its reviews.
func (f *fakeGitHub) AddPull(n int, author, base, head string, files []string, reviews [][3]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pulls[n] = map[string]any{
		"id": 5000 + n, "node_id": "PR_kwDOA", "number": n, "state": "open", "locked": false,
		"url":      fmt.Sprintf("%s/pulls/%d", f.repoURL(), n),
		"html_url": fmt.Sprintf("https://github.com/%s/%s/pull/%d", f.owner, f.repo, n),
		"title":    "Pull request " + strconv.Itoa(n), "user": f.user(author), "body": "",
		"created_at": f.stamp(), "updated_at": f.stamp(), "draft": false,
		"head": map[string]any{"label": author + ":branch", "ref": "branch", "sha": head, "user": f.user(author),
			"repo": map[string]any{"id": 600, "name": f.repo, "full_name": f.owner + "/" + f.repo}},
		"base":               map[string]any{"label": f.owner + ":main", "ref": "main", "sha": base, "user": f.user(f.owner)},
		"author_association": "CONTRIBUTOR", "merged": false, "mergeable": true,
	}
	for i, name := range files {
		f.files[n] = append(f.files[n], map[string]any{
			"sha": fmt.Sprintf("%040x", i+1), "filename": name, "status": "modified",
			"additions": 1, "deletions": 1, "changes": 2,
			"blob_url":     "https://github.com/" + f.owner + "/" + f.repo + "/blob/" + head + "/" + name,
			"raw_url":      "https://github.com/" + f.owner + "/" + f.repo + "/raw/" + head + "/" + name,
			"contents_url": f.repoURL() + "/contents/" + name + "?ref=" + head,
			"patch":        "@@ -1 +1 @@\n-a\n+b",
		})
	}
	for i, r := range reviews {
		f.reviews[n] = append(f.reviews[n], map[string]any{
			"id": 80 + i, "node_id": "PRR_kwDOA", "user": f.user(r[0]), "body": "", "state": r[1],
			"html_url":           fmt.Sprintf("https://github.com/%s/%s/pull/%d#pullrequestreview-%d", f.owner, f.repo, n, 80+i),
			"pull_request_url":   fmt.Sprintf("%s/pulls/%d", f.repoURL(), n),
			"commit_id":          r[2],
			"submitted_at":       f.now.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			"author_association": "MEMBER",
		})
	}
}

// Limit makes the next answer a rate limit.
func (f *fakeGitHub) Limit(status int, message string, headers map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits = append(f.limits, limitAnswer{"", status, headers, message})
}

// LimitOn makes the next answer to a method a rate limit.
func (f *fakeGitHub) LimitOn(method string, status int, message string, headers map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits = append(f.limits, limitAnswer{method, status, headers, message})
}

var (
	commentsRe     = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/([0-9]+)/comments$`)
	commentRe      = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/comments/([0-9]+)$`)
	issuesRe       = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues$`)
	issueRe        = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/([0-9]+)$`)
	pullRe         = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls/([0-9]+)$`)
	pullFilesRe    = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls/([0-9]+)/files$`)
	pullReviewsRe  = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls/([0-9]+)/reviews$`)
	pullsRe        = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls$`)
	errNotFound    = map[string]any{"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}
	errUnprocessed = map[string]any{"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest", "status": "422"}
)

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	req := request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization")}
	if data, _ := io.ReadAll(r.Body); len(data) > 0 {
		if err := json.Unmarshal(data, &req.Body); err != nil {
			f.t.Errorf("%s %s: body is not JSON: %v", r.Method, r.URL.Path, err)
		}
	}
	f.requests = append(f.requests, req)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Resource", "core")
	if len(f.limits) > 0 && (f.limits[0].method == "" || f.limits[0].method == r.Method) {
		l := f.limits[0]
		f.limits = f.limits[1:]
		for k, v := range l.headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(l.status)
		json.NewEncoder(w).Encode(map[string]any{"message": l.message, "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"})
		return
	}
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(f.remaining))
	w.Header().Set("X-RateLimit-Used", strconv.Itoa(5000-f.remaining))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(f.now.Add(10*time.Minute).Unix(), 10))
	if f.remaining > 0 {
		f.remaining--
	}
	tok, bearer := strings.CutPrefix(req.Auth, "Bearer ")
	perms, known := f.tokens[tok]
	if !bearer || !known {
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]any{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
		return
	}
	if !f.allowed(perms, r.Method, r.URL.Path) {
		f.answer(w, http.StatusForbidden, map[string]any{"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest", "status": "403"})
		return
	}
	path := r.URL.Path
	num := func(m []string) int { n, _ := strconv.Atoi(m[3]); return n }
	switch {
	case r.Method == "GET" && commentsRe.MatchString(path):
		f.page(w, r, f.comments[num(commentsRe.FindStringSubmatch(path))])
	case r.Method == "POST" && commentsRe.MatchString(path):
		n := num(commentsRe.FindStringSubmatch(path))
		body, _ := req.Body["body"].(string)
		if body == "" {
			f.answer(w, http.StatusUnprocessableEntity, errUnprocessed)
			return
		}
		f.addComment(n, "github-actions[bot]", body)
		f.answer(w, http.StatusCreated, f.comments[n][len(f.comments[n])-1])
	case r.Method == "PATCH" && commentRe.MatchString(path):
		id, _ := strconv.ParseInt(commentRe.FindStringSubmatch(path)[3], 10, 64)
		for _, cs := range f.comments {
			for _, c := range cs {
				if c["id"] == id {
					c["body"] = req.Body["body"]
					c["updated_at"] = f.stamp()
					f.answer(w, http.StatusOK, c)
					return
				}
			}
		}
		f.answer(w, http.StatusNotFound, errNotFound)
	case r.Method == "GET" && issuesRe.MatchString(path):
		var out []map[string]any
		label := r.URL.Query().Get("labels")
		for _, is := range f.issues {
			if r.URL.Query().Get("state") == "open" && is["state"] != "open" {
				continue
			}
			if label != "" && !hasLabel(is, label) {
				continue
			}
			out = append(out, is)
		}
		f.page(w, r, out)
	case r.Method == "POST" && issuesRe.MatchString(path):
		title, _ := req.Body["title"].(string)
		body, _ := req.Body["body"].(string)
		var labels []string
		if ls, ok := req.Body["labels"].([]any); ok {
			for _, l := range ls {
				labels = append(labels, fmt.Sprint(l))
			}
		}
		n := f.addIssue(title, body, labels, "github-actions[bot]")
		f.answer(w, http.StatusCreated, f.issues[n-1])
	case r.Method == "PATCH" && issueRe.MatchString(path):
		n := num(issueRe.FindStringSubmatch(path))
		if n < 1 || n > len(f.issues) {
			f.answer(w, http.StatusNotFound, errNotFound)
			return
		}
		is := f.issues[n-1]
		for _, k := range []string{"title", "body", "state", "state_reason"} {
			if v, ok := req.Body[k]; ok {
				is[k] = v
			}
		}
		f.answer(w, http.StatusOK, is)
	case r.Method == "GET" && pullRe.MatchString(path):
		pr, ok := f.pulls[num(pullRe.FindStringSubmatch(path))]
		if !ok {
			f.answer(w, http.StatusNotFound, errNotFound)
			return
		}
		f.answer(w, http.StatusOK, pr)
	case r.Method == "GET" && pullFilesRe.MatchString(path):
		f.page(w, r, f.files[num(pullFilesRe.FindStringSubmatch(path))])
	case r.Method == "GET" && pullReviewsRe.MatchString(path):
		f.page(w, r, f.reviews[num(pullReviewsRe.FindStringSubmatch(path))])
	default:
		if !f.serveMore(w, r, req) {
			f.t.Errorf("the fake GitHub does not answer %s %s", r.Method, r.URL.Path)
			f.answer(w, http.StatusNotFound, errNotFound)
		}
	}
}

func hasLabel(is map[string]any, name string) bool {
	ls, _ := is["labels"].([]map[string]any)
	for _, l := range ls {
		if l["name"] == name {
			return true
		}
	}
	return false
}

func (f *fakeGitHub) answer(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		f.t.Errorf("encoding answer: %v", err)
	}
}

// page answers one page of items with GitHub's Link header.
func (f *fakeGitHub) page(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	size := f.perPage
	if pp, _ := strconv.Atoi(r.URL.Query().Get("per_page")); pp > 0 && pp < size {
		size = pp
	}
	last := max((len(items)+size-1)/size, 1)
	link := func(p int, rel string) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, f.srv.URL, r.URL.Path, q.Encode(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(page-1, "prev"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	from, to := min((page-1)*size, len(items)), min(page*size, len(items))
	out := items[from:to]
	if out == nil {
		out = []map[string]any{}
	}
	f.answer(w, http.StatusOK, out)
}
