package github

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sleeper records the waits it is asked for instead of sleeping, and moves
// the test clock forward by them.
type sleeper struct {
	now   time.Time
	waits []time.Duration
}

func (s *sleeper) Now() time.Time { return s.now }

func (s *sleeper) Sleep(_ context.Context, d time.Duration) error {
	s.waits = append(s.waits, d)
	s.now = s.now.Add(d)
	return nil
}

func newTestClient(t *testing.T, f *fakeGitHub) (*Client, *sleeper) {
	t.Helper()
	s := &sleeper{now: f.now}
	c, err := New(Options{Token: "test-token", API: f.API(), Repository: f.owner + "/" + f.repo, Now: s.Now, Sleep: s.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

func paths(rs []request) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.String())
	}
	return out
}

const marker = "<!-- drimm:plan -->"

func TestUpsertComment(t *testing.T) {
	f := newFakeGitHub(t)
	f.perPage = 2
	f.AddComment(12, "alpha-imagerie-ops", "Please review.")
	f.AddComment(12, "alpha-imagerie-ops", "Quoting the bot: "+marker) // a person's: never edited
	f.AddComment(12, "ans-reviewer-alpha", "Looks fine.")
	c, _ := newTestClient(t, f)
	ctx := context.Background()

	got, _, err := c.UpsertComment(ctx, 12, marker, marker+"\nplan v1")
	if err != nil || got != Created {
		t.Fatalf("first upsert: %v, %v", got, err)
	}
	got, _, err = c.UpsertComment(ctx, 12, marker, marker+"\nplan v1")
	if err != nil || got != Unchanged {
		t.Fatalf("same plan: %v, %v", got, err)
	}
	got, url, err := c.UpsertComment(ctx, 12, marker, "plan v2")
	if err != nil || got != Updated {
		t.Fatalf("new plan: %v, %v", got, err)
	}
	cs := f.Comments(12)
	if len(cs) != 4 {
		t.Fatalf("%d comments, want 4 (one sticky)", len(cs))
	}
	if b := cs[3]["body"]; b != marker+"\nplan v2" {
		t.Fatalf("sticky body %q", b)
	}
	if b := cs[1]["body"]; b != "Quoting the bot: "+marker {
		t.Fatalf("a person's comment was changed to %q", b)
	}
	if !strings.HasSuffix(url, fmt.Sprintf("#issuecomment-%v", cs[3]["id"])) {
		t.Fatalf("url %q", url)
	}
	list := "GET /repos/ans-drim-m/trust-space/issues/12/comments"
	want := []string{
		list + "?page=1&per_page=100", list + "?page=2&per_page=100",
		"POST /repos/ans-drim-m/trust-space/issues/12/comments",
		list + "?page=1&per_page=100", list + "?page=2&per_page=100",
		list + "?page=1&per_page=100", list + "?page=2&per_page=100",
		fmt.Sprintf("PATCH /repos/ans-drim-m/trust-space/issues/comments/%v", cs[3]["id"]),
	}
	if diff := cmp.Diff(want, paths(f.Requests())); diff != "" {
		t.Fatalf("requests (-want +got):\n%s", diff)
	}
	for _, r := range f.Requests() {
		if r.Auth != "Bearer test-token" {
			t.Fatalf("%s sent Authorization %q", r, r.Auth)
		}
	}
}

func TestUpsertCommentCutsLongBodies(t *testing.T) {
	f := newFakeGitHub(t)
	c, _ := newTestClient(t, f)
	long := strings.Repeat("| ligne é |\n", 10000)
	if _, _, err := c.UpsertComment(context.Background(), 3, marker, long); err != nil {
		t.Fatal(err)
	}
	body := f.Comments(3)[0]["body"].(string)
	if n := len([]rune(body)); n > MaxCommentLength {
		t.Fatalf("body of %d characters", n)
	}
	if !strings.HasPrefix(body, marker+"\n") || !strings.Contains(body, "job summary has the whole text") {
		t.Fatalf("cut body lacks the marker or the note: %q … %q", body[:40], body[len(body)-80:])
	}
}

func TestSyncIssues(t *testing.T) {
	f := newFakeGitHub(t)
	f.perPage = 2
	human := f.AddIssue("Relance manuelle", "Suivi par l'ANS", "deadline")
	stale := f.AddIssue("old title", keyMarker("switch-revocation/7/2026-12-05")+"\nold text\n", "deadline")
	resolved := f.AddIssue("Certificate of DRIMbox 3", keyMarker("certificate/3/server/abcd")+"\ntext\n", "deadline")
	other := f.AddIssue("Other", keyMarker("certificate/9/server/ef")+"\ntext\n", "question")
	same := f.AddIssue("Whitelist freshness", keyMarker("whitelist-freshness")+"\nre-sign\n", "deadline")
	c, _ := newTestClient(t, f)
	alerts := []Alert{
		{Key: "switch-revocation/7/2026-12-05", Title: "DRIMbox 7: revocation by alpha-imagerie due 2026-12-05", Body: "new text"},
		{Key: "certificate/4/market/0123", Title: "DRIMbox 4: market certificate expires 2026-12-20", Body: "renew it"},
		{Key: "whitelist-freshness", Title: "Whitelist freshness", Body: "re-sign"},
	}
	res, err := c.SyncIssues(context.Background(), "deadline", alerts)
	if err != nil {
		t.Fatal(err)
	}
	created := same + 1
	want := Synced{Created: []int{created}, Updated: []int{stale}, Unchanged: []int{same}, Closed: []int{resolved}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Fatalf("result (-want +got):\n%s", diff)
	}
	is := f.Issues()
	if is[human-1]["state"] != "open" || is[human-1]["body"] != "Suivi par l'ANS" {
		t.Fatalf("a person's issue was touched: %v", is[human-1])
	}
	if is[resolved-1]["state"] != "closed" || is[resolved-1]["state_reason"] != "completed" {
		t.Fatalf("resolved issue: %v", is[resolved-1])
	}
	if is[other-1]["state"] != "open" {
		t.Fatal("an issue without the label was closed")
	}
	if got := is[stale-1]["title"]; got != alerts[0].Title {
		t.Fatalf("updated title %q", got)
	}
	if got := is[created-1]["body"]; got != keyMarker("certificate/4/market/0123")+"\nrenew it\n" {
		t.Fatalf("created body %q", got)
	}
	if got := f.Comments(resolved); len(got) != 1 || !strings.Contains(got[0]["body"].(string), "resolved") {
		t.Fatalf("resolved issue comments: %v", got)
	}
	list := "GET /repos/ans-drim-m/trust-space/issues?labels=deadline&page=%d&per_page=100&state=open"
	wantReq := []string{
		fmt.Sprintf(list, 1), fmt.Sprintf(list, 2),
		fmt.Sprintf("PATCH /repos/ans-drim-m/trust-space/issues/%d", stale),
		"POST /repos/ans-drim-m/trust-space/issues",
		fmt.Sprintf("POST /repos/ans-drim-m/trust-space/issues/%d/comments", resolved),
		fmt.Sprintf("PATCH /repos/ans-drim-m/trust-space/issues/%d", resolved),
	}
	if diff := cmp.Diff(wantReq, paths(f.Requests())); diff != "" {
		t.Fatalf("requests (-want +got):\n%s", diff)
	}
	post := f.Requests()[3].Body
	if diff := cmp.Diff(map[string]any{"title": alerts[1].Title, "body": keyMarker(alerts[1].Key) + "\nrenew it\n", "labels": []any{"deadline"}}, post); diff != "" {
		t.Fatalf("create request body (-want +got):\n%s", diff)
	}

	// A second run with the same alerts changes nothing.
	n := len(f.Requests())
	res, err = c.SyncIssues(context.Background(), "deadline", alerts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created)+len(res.Updated)+len(res.Closed) != 0 || len(res.Unchanged) != 3 {
		t.Fatalf("second run: %+v", res)
	}
	for _, r := range f.Requests()[n:] {
		if r.Method != "GET" {
			t.Fatalf("second run wrote: %s", r)
		}
	}
}

func TestSyncIssuesRefusesBadKeys(t *testing.T) {
	f := newFakeGitHub(t)
	c, _ := newTestClient(t, f)
	_, err := c.SyncIssues(context.Background(), "deadline", []Alert{{Key: "a --> <script>", Title: "x"}})
	if err == nil || !strings.Contains(err.Error(), "cannot hold") {
		t.Fatalf("error %v", err)
	}
	if len(f.Requests()) != 0 {
		t.Fatalf("requests made: %v", f.Requests())
	}
}

func TestPullFilesAndReviews(t *testing.T) {
	f := newFakeGitHub(t)
	f.perPage = 2
	head, base := strings.Repeat("b", 40), strings.Repeat("a", 40)
	f.AddPull(42, "alpha-imagerie-ops", base, head,
		[]string{"registry/operators/alpha-imagerie/drimboxes/1.yaml", "registry/operators/alpha-imagerie/drimboxes/2.yaml", ".github/CODEOWNERS", "README.md", "status/incidents/x.yaml"},
		[][3]string{{"ans-reviewer-alpha", "CHANGES_REQUESTED", base}, {"ans-reviewer-alpha", "APPROVED", head}, {"alpha-imagerie-ops", "COMMENTED", head}})
	f.files[42][2]["status"] = "renamed"
	f.files[42][2]["previous_filename"] = ".github/CODEOWNERS.old"
	c, _ := newTestClient(t, f)
	ctx := context.Background()
	pr, err := c.PullRequest(ctx, 42)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&PullRequest{Number: 42, Author: "alpha-imagerie-ops", BaseSHA: base, HeadSHA: head, State: "open", HeadRepository: "ans-drim-m/trust-space"}, pr); diff != "" {
		t.Fatalf("pull request (-want +got):\n%s", diff)
	}
	files, err := c.PullFiles(ctx, 42)
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{"registry/operators/alpha-imagerie/drimboxes/1.yaml", "registry/operators/alpha-imagerie/drimboxes/2.yaml", ".github/CODEOWNERS.old", ".github/CODEOWNERS", "README.md", "status/incidents/x.yaml"}
	if diff := cmp.Diff(wantFiles, files); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}
	reviews, err := c.Reviews(ctx, 42)
	if err != nil {
		t.Fatal(err)
	}
	at := f.now
	wantReviews := []Review{
		{"ans-reviewer-alpha", "CHANGES_REQUESTED", base, at},
		{"ans-reviewer-alpha", "APPROVED", head, at.Add(time.Minute)},
		{"alpha-imagerie-ops", "COMMENTED", head, at.Add(2 * time.Minute)},
	}
	if diff := cmp.Diff(wantReviews, reviews); diff != "" {
		t.Fatalf("reviews (-want +got):\n%s", diff)
	}
	var pages []string
	for _, r := range f.Requests() {
		pages = append(pages, r.String())
	}
	want := []string{
		"GET /repos/ans-drim-m/trust-space/pulls/42",
		"GET /repos/ans-drim-m/trust-space/pulls/42/files?page=1&per_page=100",
		"GET /repos/ans-drim-m/trust-space/pulls/42/files?page=2&per_page=100",
		"GET /repos/ans-drim-m/trust-space/pulls/42/files?page=3&per_page=100",
		"GET /repos/ans-drim-m/trust-space/pulls/42/reviews?page=1&per_page=100",
		"GET /repos/ans-drim-m/trust-space/pulls/42/reviews?page=2&per_page=100",
	}
	if diff := cmp.Diff(want, pages); diff != "" {
		t.Fatalf("requests (-want +got):\n%s", diff)
	}
}

func TestRateLimits(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		message string
		headers func(now time.Time) map[string]string
		waits   []time.Duration // nil: the call fails without waiting
		err     string
	}{
		{"primary limit waits for the reset", http.StatusForbidden, "API rate limit exceeded for installation ID 4242.",
			func(now time.Time) map[string]string {
				return map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Used": "5000", "X-RateLimit-Reset": unix(now.Add(90 * time.Second))}
			}, []time.Duration{91 * time.Second}, ""},
		{"429 with Retry-After", http.StatusTooManyRequests, "Too many requests",
			func(time.Time) map[string]string { return map[string]string{"Retry-After": "30"} }, []time.Duration{30 * time.Second}, ""},
		{"secondary limit with Retry-After", http.StatusForbidden, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
			func(time.Time) map[string]string { return map[string]string{"Retry-After": "120"} }, []time.Duration{120 * time.Second}, ""},
		{"secondary limit without a time", http.StatusForbidden, "You have exceeded a secondary rate limit and have been temporarily blocked from content creation.",
			func(time.Time) map[string]string { return nil }, []time.Duration{time.Minute}, ""},
		{"refusal is not a limit", http.StatusForbidden, "Resource not accessible by integration",
			func(time.Time) map[string]string { return map[string]string{"X-RateLimit-Remaining": "4000"} }, nil, "Resource not accessible by integration"},
		{"reset too far away", http.StatusForbidden, "API rate limit exceeded for installation ID 4242.",
			func(now time.Time) map[string]string {
				return map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": unix(now.Add(2 * time.Hour))}
			}, nil, "rate limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeGitHub(t)
			c, s := newTestClient(t, f)
			f.Limit(tt.status, tt.message, tt.headers(f.now))
			// A write is retried with its body intact.
			got, _, err := c.UpsertComment(context.Background(), 5, marker, "plan")
			if diff := cmp.Diff(tt.waits, s.waits); diff != "" {
				t.Fatalf("waits (-want +got):\n%s", diff)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				if n := len(f.Requests()); n != 1 {
					t.Fatalf("%d requests after a refusal, want 1", n)
				}
				return
			}
			if err != nil || got != Created {
				t.Fatalf("upsert after the limit: %v, %v", got, err)
			}
			want := []string{
				"GET /repos/ans-drim-m/trust-space/issues/5/comments?page=1&per_page=100",
				"GET /repos/ans-drim-m/trust-space/issues/5/comments?page=1&per_page=100",
				"POST /repos/ans-drim-m/trust-space/issues/5/comments",
			}
			if diff := cmp.Diff(want, paths(f.Requests())); diff != "" {
				t.Fatalf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRateLimitedWriteIsReplayed(t *testing.T) {
	f := newFakeGitHub(t)
	c, s := newTestClient(t, f)
	ctx := context.Background()
	if _, _, err := c.UpsertComment(ctx, 5, marker, "v1"); err != nil {
		t.Fatal(err)
	}
	// The edit itself meets the limit and is sent again, body and all.
	f.LimitOn("PATCH", http.StatusForbidden, "API rate limit exceeded for installation ID 4242.",
		map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": unix(f.now.Add(10 * time.Second))})
	before := len(f.Requests())
	got, _, err := c.UpsertComment(ctx, 5, marker, "v2")
	if err != nil || got != Updated {
		t.Fatalf("upsert: %v, %v", got, err)
	}
	reqs := f.Requests()[before:]
	if len(reqs) != 3 || reqs[1].Method != "PATCH" || reqs[2].Method != "PATCH" {
		t.Fatalf("requests %v", paths(reqs))
	}
	for _, r := range reqs[1:] {
		if r.Body["body"] != marker+"\nv2" {
			t.Fatalf("%s sent body %v", r, r.Body)
		}
	}
	if diff := cmp.Diff([]time.Duration{11 * time.Second}, s.waits); diff != "" {
		t.Fatalf("waits (-want +got):\n%s", diff)
	}
}

func TestExhaustedLimitWaitsBeforeTheNextCall(t *testing.T) {
	f := newFakeGitHub(t)
	f.remaining = 0
	c, s := newTestClient(t, f)
	ctx := context.Background()
	if _, err := c.PullFiles(ctx, 1); err != nil { // answered with Remaining 0
		t.Fatal(err)
	}
	if len(s.waits) != 0 {
		t.Fatalf("waited before the limit was reached: %v", s.waits)
	}
	if _, err := c.PullFiles(ctx, 1); err != nil {
		t.Fatalf("second call: %v", err)
	}
	if diff := cmp.Diff([]time.Duration{10*time.Minute + time.Second}, s.waits); diff != "" {
		t.Fatalf("waits (-want +got):\n%s", diff)
	}
	if n := len(f.Requests()); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
