package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
)

// queuePageSize is how many comments the moderation page shows at once.
const queuePageSize = 50

// fillModeration adds to the article page the viewer's own held comments:
// shown to the account or browser that wrote them, and to nobody else.
func (s *server) fillModeration(r *http.Request, page *articlePage, vc viewCtx) error {
	if s.moderation == nil {
		return nil
	}
	held, err := s.moderation.Held(r.Context(), viewerOf(r), s.guestID(nil, r, false), page.Post.ID)
	if err != nil {
		return err
	}
	page.Held = vc.list(held)
	page.ReportForm = &reportForm{Back: vc.back, Suffix: "-t"}
	return nil
}

// limitLike applies the like rate limits (per reader and per IP) to a
// like of a post; comment likes are limited by the discussion service.
func (s *server) limitLike(r *http.Request, reader news.Reader) error {
	if s.moderation == nil {
		return nil
	}
	return s.moderation.Limit(r.Context(), moderation.ActLike, httpx.ClientIP(r), reader.Key())
}

// queuePage is the moderation queue: a page of one queue, with a check
// box per comment and one set of action buttons.
type queuePage struct {
	Base
	Queue     news.Queue
	Tabs      []queueTab
	Items     []queueItem
	NextURL   string
	Done      string
	Message   string
	Moderator bool // may ban; sees every post's comments
}

type queueTab struct {
	Label, URL string
	Current    bool
}

type queueItem struct {
	*news.Comment
	HTML      template.HTML
	PostTitle string
	PostURL   string
	Reasons   []string
	Reports   int64
	Checked   bool
}

var queueLabels = []struct {
	Queue news.Queue
	Label string
}{{news.QueuePending, "Awaiting moderation"}, {news.QueueSpam, "Spam"}, {news.QueueReported, "Reported"}}

func (s *server) requireModeration() error {
	if s.moderation == nil {
		return news.Errorf(news.NotFound, "There is nothing at this address.")
	}
	return nil
}

// moderationQueue serves GET /moderation?status=pending|spam|reported&cursor=.
func (s *server) moderationQueue(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireModeration(); err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := s.queuePage(r, q.Get("status"), q.Get("cursor"))
	if err != nil {
		return err
	}
	page.Done = doneMessage(q.Get("done"), q.Get("n"))
	return s.render(w, r, http.StatusOK, "moderation", page)
}

func (s *server) queuePage(r *http.Request, status, cursor string) (*queuePage, error) {
	viewer := viewerOf(r)
	queue, err := moderation.ParseQueue(status)
	if err != nil {
		return nil, err
	}
	qp, err := s.moderation.Queue(r.Context(), viewer, queue, cursor, queuePageSize)
	if err != nil {
		return nil, err
	}
	page := &queuePage{Queue: queue, Moderator: viewer.Role.CanModerate()}
	page.Title = "Moderation"
	for _, l := range queueLabels {
		page.Tabs = append(page.Tabs, queueTab{Label: l.Label, URL: "/moderation?status=" + string(l.Queue), Current: l.Queue == queue})
	}
	titles := map[int64]string{}
	for _, c := range qp.Comments {
		if _, ok := titles[c.PostID]; !ok {
			if p, err := s.posts.Get(r.Context(), viewer, c.PostID); err == nil {
				titles[c.PostID] = p.Title
			} else {
				titles[c.PostID] = "Post " + strconv.FormatInt(c.PostID, 10)
			}
		}
		it := queueItem{Comment: c, HTML: template.HTML(c.BodyHTML), PostTitle: titles[c.PostID],
			PostURL: news.PostIDPath(c.PostID) + "#" + news.CommentAnchor(c.ID)}
		if c.Review != nil {
			it.Reasons, it.Reports = c.Review.Reasons, c.Review.Reports
		}
		page.Items = append(page.Items, it)
	}
	if qp.NextCursor != "" {
		page.NextURL = "/moderation?status=" + string(queue) + "&cursor=" + url.QueryEscape(qp.NextCursor)
	}
	return page, nil
}

func doneMessage(action, n string) string {
	count, err := strconv.Atoi(n)
	if err != nil || count <= 0 {
		return ""
	}
	verb := map[string]string{moderation.ActionApprove: "approved", moderation.ActionSpam: "marked as spam",
		moderation.ActionTrash: "moved to the trash", moderation.ActionDismiss: "cleared of reports",
		moderation.ActionBan: "marked as spam and their writers banned", moderation.ActionBanIP: "marked as spam and their IP addresses banned"}[action]
	if verb == "" {
		return ""
	}
	return plural(int64(count), "comment", "comments") + " " + verb + "."
}

// moderationAct serves POST /moderation: one action on the checked
// comments (ids), or on one comment by its own button (one=ACTION:ID).
// Success returns to the same queue; a problem shows the queue again with
// the message and the boxes still checked.
func (s *server) moderationAct(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireModeration(); err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	action := f.Get("action")
	var ids []int64
	if one := f.Get("one"); one != "" {
		a, id, _ := strings.Cut(one, ":")
		n, _ := strconv.ParseInt(id, 10, 64)
		action, ids = a, []int64{n}
	} else {
		for _, v := range f["ids"] {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				ids = append(ids, n)
			}
		}
	}
	done, err := s.moderation.Act(r.Context(), viewerOf(r), ids, action)
	status := f.Get("status")
	if err == nil {
		dest := "/moderation?status=" + url.QueryEscape(status) + "&done=" + url.QueryEscape(action) + "&n=" + strconv.Itoa(len(done))
		http.Redirect(w, r, dest, http.StatusSeeOther)
		return nil
	}
	if !formError(err) && news.ErrorCode(err) != news.Forbidden {
		return err
	}
	page, perr := s.queuePage(r, status, f.Get("cursor"))
	if perr != nil {
		return perr
	}
	page.Message = news.ErrorMessage(err)
	checked := map[int64]bool{}
	for _, id := range ids {
		checked[id] = true
	}
	for i := range page.Items {
		page.Items[i].Checked = checked[page.Items[i].ID]
	}
	return s.render(w, r, httpx.Status(err), "moderation", page)
}

// reportComment serves POST /c/{id}/report (reason, note, back): once per
// reader. A script asking for JSON gets {"reported","new"}.
func (s *server) reportComment(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireModeration(); err != nil {
		return err
	}
	id, err := commentID(r, "id")
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	added, err := s.moderation.Report(r.Context(), s.reader(w, r, true), id, r.PostForm.Get("reason"), r.PostForm.Get("note"))
	if wantsJSON(r) {
		if err != nil {
			httpx.WriteError(w, r, err)
			return nil
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"reported": true, "new": added})
		return nil
	}
	if err != nil {
		return s.reportRefused(w, r, err)
	}
	return s.backTo(w, r, id)
}
