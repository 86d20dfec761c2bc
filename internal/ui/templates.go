package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/notify"
	"github.com/headline/headline/internal/pagecache"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageNames are the page templates; each is parsed together with
// layout.html and partials.html and defines "content".
var pageNames = []string{"home", "tag", "profile", "article", "signin", "signup", "write", "admin", "error",
	"headlines", "timeline", "notifications", "follows", "admin_jobs", "moderation", "moderation_settings", "report",
	"delete_post"}

// pageTemplate is one page parsed with the shared layout.
type pageTemplate struct {
	t      *template.Template
	marked bool         // the holes are marked (parseMarked)
	memo   *commentMemo // the rendered comments kept; nil keeps none (comment_html.go)
}

// Base is embedded in every page struct: what the layout needs.
type Base struct {
	SiteName string
	Title    string // the page's own title; the site name is added
	Lang     string // the <html lang>; "" means en
	Viewer   *news.Account
	Path     string // where "Sign in" comes back to; the request path for GET
	// Unread is the viewer's unread notifications (capped), for the badge;
	// Social says whether the social features are on.
	Unread     int
	Social     bool
	Alternates []alternate // feeds advertised with <link rel="alternate">
}

func (b *Base) base() *Base { return b }

// CanPublish reports whether the viewer may write posts.
func (b *Base) CanPublish() bool { return b.Viewer != nil && b.Viewer.Role.CanPublish() }

// IsAdmin reports whether the viewer is an admin.
func (b *Base) IsAdmin() bool { return b.Viewer != nil && b.Viewer.Role == news.RoleAdmin }

// CanModerate reports whether the viewer has a moderation queue:
// moderators and admins, and publishers for comments on their posts.
func (b *Base) CanModerate() bool {
	return b.Viewer != nil && (b.Viewer.Role.CanModerate() || b.Viewer.Role.CanPublish())
}

// page is any page struct: a pointer to a struct embedding Base.
type page interface{ base() *Base }

// formLimits are the news limits that forms put in maxlength attributes.
type formLimits struct {
	Handle, Name, Email, Password, URL, CommentBody int
	Title, Summary, PostBody, SourceName, Official  int
	ReportNote                                      int
}

var limits = formLimits{Handle: news.MaxHandle, Name: news.MaxName, Email: news.MaxEmail, Password: news.MaxPassword,
	URL: news.MaxURL, CommentBody: news.MaxCommentBody, Title: news.MaxTitle, Summary: news.MaxSummary,
	PostBody: news.MaxPostBody, SourceName: news.MaxSourceName, Official: news.MaxOfficial,
	ReportNote: moderation.MaxReportNote}

func templateFuncs(static func(string) string) template.FuncMap {
	return template.FuncMap{
		"static":   static,
		"limits":   func() formLimits { return limits },
		"rfc3339":  rfc3339,
		"readable": readableTime,
		"plural":   plural,
		"tagURL":   func(tag string) string { return "/t/" + tag },
		"profile":  news.AccountPath,
		"badge":    badge,
		"notice":   notify.Text,
		"reasons":  func() any { return moderation.ReportReasons }, // of a report
		"field":    formField,
		// Holes of a cached page (cached.go): nothing on a page rendered
		// for one reader; parseMarked makes them marks.
		"hole":    func(string, int64) template.HTML { return "" },
		"endhole": func() template.HTML { return "" },
	}
}

// fieldView is one labelled input of a settings form.
type fieldView struct{ Name, Label, Value, Hint, Error string }

func formField(name, label, value, hint string, errs map[string]string) fieldView {
	return fieldView{Name: name, Label: label, Value: value, Hint: hint, Error: errs[name]}
}

// readableTime shows t in UTC, the same for every reader, and says so.
func readableTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}

// parseMarked parses the page name with its holes marked: the page
// rendered with it is cut into the cached bytes and their holes.
func parseMarked(static func(string) string, name string, m pagecache.Marks) (*pageTemplate, error) {
	funcs := templateFuncs(static)
	funcs["hole"] = func(name string, arg int64) template.HTML { return template.HTML(m.Open(name, arg)) }
	funcs["endhole"] = func() template.HTML { return template.HTML(m.Close()) }
	return parsePage(funcs, name, true)
}

// parsePages parses every page once, at start; a broken template stops the
// server from starting instead of failing a reader.
func parsePages(static func(string) string) (map[string]*pageTemplate, error) {
	pages := map[string]*pageTemplate{}
	for _, name := range pageNames {
		pt, err := parsePage(templateFuncs(static), name, false)
		if err != nil {
			return nil, err
		}
		pages[name] = pt
	}
	return pages, nil
}

// parsePage parses the page name with the shared templates and funcs,
// adding the funcs bound to the page's own template. Unless marked, the
// holes' marks are taken out of the text: a page rendered for one reader
// has none, and each would be two function calls writing nothing (four
// of a comment's 35).
func parsePage(funcs template.FuncMap, name string, marked bool) (*pageTemplate, error) {
	pt := &pageTemplate{marked: marked}
	funcs["comments"] = pt.comments
	t := template.New(name).Funcs(funcs)
	for _, file := range []string{"layout", "partials", "social", "media", name} {
		text, err := templateFS.ReadFile("templates/" + file + ".html")
		if err == nil && !marked {
			text = holeMarks.ReplaceAll(text, nil)
		}
		if err == nil {
			_, err = t.New(file + ".html").Parse(string(text))
		}
		if err != nil {
			return nil, fmt.Errorf("ui: parse %s: %w", name, err)
		}
	}
	pt.t = t
	return pt, nil
}

// holeMarks are the actions that mark a hole in a page template.
var holeMarks = regexp.MustCompile(`\{\{hole "[a-z-]+" (0|\.ID)\}\}|\{\{endhole\}\}`)

// render fills p's Base and writes the page with status. The page is
// rendered into a buffer first, so a template error becomes a clean 500
// instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) error {
	body, err := s.renderPage(r, name, p)
	if err != nil {
		return err
	}
	s.writePage(w, r, status, body)
	return nil
}

// writePage sends a rendered page, given in one or more parts.
func (s *server) writePage(w http.ResponseWriter, r *http.Request, status int, parts ...[]byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages show who is signed in and what they typed: never share them.
	h.Set("Cache-Control", "private, no-cache")
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	h.Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(status)
	if len(parts) > 1 {
		// A filled page is parts, for a signed-in reader a hundred, most
		// of them small: written one by one they went out through the
		// server's 4 KB buffer, a system call and a loopback segment for
		// every 4 KB or so. Joined (a copy costs a few microseconds), the
		// page goes out in one or two: a signed-in reader's page of 50
		// comments went from 10,800 to 15,700 req/s (BENCHMARKS.md).
		buf := pageBuffers.Get().(*[]byte)
		joined := (*buf)[:0]
		for _, p := range parts {
			joined = append(joined, p...)
		}
		parts = [][]byte{joined}
		defer func() {
			if cap(joined) <= maxPooledPage {
				*buf = joined[:0]
				pageBuffers.Put(buf)
			}
		}()
	}
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			s.log.DebugContext(r.Context(), "write page", "err", err)
			return
		}
	}
}

// pageBuffers hold filled pages while they are written (writePage).
var pageBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledPage: a buffer grown past it (a huge page) is left to the
// collector rather than kept.
const maxPooledPage = 1 << 20

// renderPage runs the page template name with p.
func (s *server) renderPage(r *http.Request, name string, p page) ([]byte, error) {
	pt, ok := s.pages[name]
	if !ok {
		return nil, fmt.Errorf("ui: no page template %q", name)
	}
	return s.renderWith(r, pt, name, p)
}

// renderWith fills p's Base and runs pt with it.
func (s *server) renderWith(r *http.Request, pt *pageTemplate, name string, p page) ([]byte, error) {
	b := p.base()
	b.SiteName = s.siteName
	b.Viewer = httpx.Account(r.Context())
	if b.Path == "" && r.Method == http.MethodGet {
		b.Path = r.URL.Path
	}
	if b.Lang == "" {
		b.Lang = "en"
	}
	s.fillSocial(r, b)
	var buf bytes.Buffer
	if err := pt.t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return nil, fmt.Errorf("ui: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}
