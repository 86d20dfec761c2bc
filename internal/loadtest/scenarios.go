package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Scenario is one kind of operation a simulated client performs. Run makes
// one operation (usually one request) with the worker's state and returns
// what it cost; the runner times it.
type Scenario struct {
	Name  string
	About string
	Run   func(ctx context.Context, w *Worker) Result
	Token TokenUse
	// Session: the requests carry the client's browser session cookie
	// (Options.SignIn); a run without one refuses the scenario.
	Session bool
}

// TokenUse says whether a scenario's requests carry the worker's bearer
// token (Options.Tokens).
type TokenUse int

const (
	NoToken       TokenUse = iota
	TokenIfGiven           // signed in when the run has tokens, a guest otherwise
	TokenRequired          // a run without tokens refuses the scenario
)

// Result is what one operation did. Err is a failure to report (transport
// error, a status outside 2xx/3xx, an unreadable answer); errCutOff marks
// an operation stopped by the end of the run, which is not counted at all.
type Result struct {
	Requests int
	Bytes    int64
	Err      error
}

var errCutOff = errors.New("cut off by the end of the run")

// Page sizes: commentsPage is what the article page and a typical client
// ask for; threadPage is the API maximum, what a client that wants a whole
// thread uses to make the fewest round trips.
const (
	commentsPage   = 50
	threadPage     = 200
	maxThreadPages = 1000 // 200,000 comments: bounds one thread operation
)

// scenarios is the registry. StaticName is the baseline: a file served from
// memory through the same middleware, so its rate is what this machine,
// network stack and HTTP server do with no product work at all.
// The signed-in readers' scenarios are in social.go.
var scenarios = append([]*Scenario{
	{Name: StaticName, About: "GET /static/baseline.html, a 15 KB static article page: the same-run baseline", Run: opStatic},
	{Name: "home", About: "GET / — the home page HTML", Run: opHome},
	{Name: "article", About: "GET /@handle/slug of a random post — the article page HTML with its comments", Run: opArticle},
	{Name: "hot-article", About: "GET /@handle/slug of the post with the most comments — the article page with a full first page of 50 comment threads", Run: opHotArticle},
	{Name: "api-post", About: "GET /api/v1/posts/{id} of a random post", Run: opAPIPost},
	{Name: "comments", About: "GET /api/v1/posts/{id}/comments?limit=50&cursor=…, each client walking one page deeper per request", Run: opCommentsPage},
	{Name: "thread", About: fmt.Sprintf("one operation = every comment of the post with the most comments, in cursor pages of %d", threadPage), Run: opThread},
	{Name: "comment", About: "POST /api/v1/posts/{id}/comments as a guest (name, email, a new body each time): a durable write", Run: opGuestComment},
	{Name: "hot-comment", About: "comment, on the post with the most comments: each one changes the hot article's page (mix it with hot-article)", Run: opHotComment},
}, append(socialScenarios, sessionScenarios...)...)

// StaticName is the name of the baseline scenario.
const StaticName = "static"

// presets are the named mixes of --scenario; every scenario name is also a
// mix of itself.
var presets = map[string]string{
	"read":   "article=4,home=2,api-post=2,comments=2,thread=1,static=1",
	"write":  "comment=1,static=1",
	"mixed":  "article=4,home=2,api-post=2,comments=2,thread=1,comment=1,static=1",
	"static": "static=1",
	"social": "timeline=2,headlines=2,like=1,follow=1,static=1",
}

// Weighted is a scenario with its share of the operations.
type Weighted struct {
	Scenario *Scenario
	Weight   int
}

// Preset returns the mix named by --scenario.
func Preset(name string) ([]Weighted, error) {
	if spec, ok := presets[name]; ok {
		return ParseMix(spec)
	}
	if lookup(name) != nil {
		return ParseMix(name + "=1")
	}
	return nil, fmt.Errorf("--scenario %q: want one of %s", name, strings.Join(Names(), ", "))
}

// ParseMix reads "name=weight,name=weight"; a name alone weighs 1.
func ParseMix(spec string) ([]Weighted, error) {
	var mix []Weighted
	seen := map[string]bool{}
	for _, part := range strings.Split(spec, ",") {
		name, w, hasWeight := strings.Cut(strings.TrimSpace(part), "=")
		sc := lookup(name)
		if sc == nil {
			return nil, fmt.Errorf("--mix: unknown scenario %q; scenarios: %s", name, strings.Join(scenarioNames(), ", "))
		}
		weight := 1
		if hasWeight {
			n, err := strconv.Atoi(w)
			if err != nil || n < 1 || n > 1000 {
				return nil, fmt.Errorf("--mix: weight of %s must be a whole number from 1 to 1000, not %q", name, w)
			}
			weight = n
		}
		if seen[name] {
			return nil, fmt.Errorf("--mix: %s is listed twice", name)
		}
		seen[name] = true
		mix = append(mix, Weighted{Scenario: sc, Weight: weight})
	}
	return mix, nil
}

// Names lists what --scenario accepts: presets, then single scenarios.
func Names() []string {
	var out []string
	for name := range presets {
		out = append(out, name)
	}
	sort.Strings(out)
	for _, name := range scenarioNames() {
		if _, ok := presets[name]; !ok {
			out = append(out, name)
		}
	}
	return out
}

// Describe returns one line per scenario, for --help.
func Describe() string {
	var b strings.Builder
	for _, sc := range scenarios {
		fmt.Fprintf(&b, "  %-9s %s\n", sc.Name, sc.About)
	}
	return b.String()
}

func scenarioNames() []string {
	out := make([]string, len(scenarios))
	for i, sc := range scenarios {
		out[i] = sc.Name
	}
	return out
}

func lookup(name string) *Scenario {
	for _, sc := range scenarios {
		if sc.Name == name {
			return sc
		}
	}
	return nil
}

func opStatic(ctx context.Context, w *Worker) Result {
	return w.get(ctx, "/static/baseline.html", nil)
}

func opHome(ctx context.Context, w *Worker) Result {
	return w.get(ctx, "/", nil)
}

func opArticle(ctx context.Context, w *Worker) Result {
	return w.get(ctx, w.randomPost().Path, nil)
}

func opHotArticle(ctx context.Context, w *Worker) Result {
	return w.get(ctx, w.env.thread.Path, nil)
}

func opAPIPost(ctx context.Context, w *Worker) Result {
	var p struct {
		ID int64 `json:"id"`
	}
	return w.get(ctx, "/api/v1/posts/"+strconv.FormatInt(w.randomPost().ID, 10), &p)
}

// commentPage is the part of a comments page the scenarios read.
type commentPage struct {
	Comments   []json.RawMessage `json:"comments"`
	NextCursor *string           `json:"next_cursor"`
}

func commentsPath(postID int64, limit int, cursor string) string {
	p := "/api/v1/posts/" + strconv.FormatInt(postID, 10) + "/comments?limit=" + strconv.Itoa(limit)
	if cursor != "" {
		p += "&cursor=" + url.QueryEscape(cursor)
	}
	return p
}

// opCommentsPage reads the next page of the thread this worker is walking,
// so that over a run the pages read go deeper, as a reader scrolling does;
// at the end of a thread it starts on another post.
func opCommentsPage(ctx context.Context, w *Worker) Result {
	if w.walkCursor == "" {
		w.walkPost = w.env.commented[w.rng.IntN(len(w.env.commented))].ID
	}
	var page commentPage
	res := w.get(ctx, commentsPath(w.walkPost, commentsPage, w.walkCursor), &page)
	w.walkCursor = ""
	if res.Err == nil && page.NextCursor != nil {
		w.walkCursor = *page.NextCursor
	}
	return res
}

// opThread reads every comment of the biggest thread, page by page. The
// operation's latency is the whole walk. It stops between pages when the
// run ends, and the partial walk is not counted.
func opThread(ctx context.Context, w *Worker) Result {
	var total Result
	cursor := ""
	for range maxThreadPages {
		var page commentPage
		res := w.get(ctx, commentsPath(w.env.thread.ID, threadPage, cursor), &page)
		total.Requests += res.Requests
		total.Bytes += res.Bytes
		if res.Err != nil {
			total.Err = res.Err
			return total
		}
		if page.NextCursor == nil {
			return total
		}
		if time.Now().After(w.deadline) {
			total.Err = errCutOff
			return total
		}
		cursor = *page.NextCursor
	}
	return total
}

var guestNames = []string{"Ana", "Wei", "Olga", "Kofi", "Priya", "Tomasz", "Hannah", "Yusuf", "Mei", "Lars"}

var commentLines = []string{
	"Thanks for the clear write-up; I had not seen these figures anywhere else.",
	"Does anyone know whether this applies outside the city as well?",
	"I was there on Saturday and it was exactly as described.",
	"The second paragraph answers the question I had after the first report.",
	"Good to see a follow-up on this. Please keep us posted.",
	"Would be useful to have a map with the article next time.",
}

// opGuestComment posts a guest comment on a random post. The body carries
// the run, worker and sequence number, so no two are the same and a spam
// or duplicate filter would not drop them silently.
func opGuestComment(ctx context.Context, w *Worker) Result {
	return guestComment(ctx, w, w.randomPost().ID)
}

func opHotComment(ctx context.Context, w *Worker) Result {
	return guestComment(ctx, w, w.env.thread.ID)
}

func guestComment(ctx context.Context, w *Worker, postID int64) Result {
	w.seq++
	in := map[string]string{
		"name":  guestNames[w.rng.IntN(len(guestNames))],
		"email": fmt.Sprintf("bench-guest-%d@example.com", w.id),
		"body":  fmt.Sprintf("%s\n\n(load test %s, client %d, comment %d)", commentLines[w.rng.IntN(len(commentLines))], w.env.runID, w.id, w.seq),
	}
	body, _ := json.Marshal(in)
	var c struct {
		ID int64 `json:"id"`
	}
	path := "/api/v1/posts/" + strconv.FormatInt(postID, 10) + "/comments"
	res := w.do(ctx, "POST", path, body, &c)
	if res.Err == nil && c.ID == 0 {
		res.Err = fmt.Errorf("POST %s: answer has no comment id", path)
	}
	return res
}
