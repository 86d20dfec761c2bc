package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/moderation"
	"github.com/headline/headline/internal/news"
)

// settingsPage edits the site's moderation settings, or an official
// account's override (Handle set), and lists the bans.
type settingsPage struct {
	Base
	Handle      string // the official account whose override this is; "" for the site
	HasOverride bool
	Overrides   []*news.Account
	Form        settingsForm
	Bans        []news.Ban
	Done        string
	Message     string
	Errors      map[string]string
}

// settingsForm is the settings as the form shows them: numbers as typed,
// blocklists one entry a line.
type settingsForm struct {
	HoldAll, HoldFirstTime                                          bool
	MaxLinks, MinFillSeconds                                        string
	CommentsPerMinute, CommentsPerMinuteIP, LikesPerMinute, LikesIP string
	Words, Emails, IPs, Domains                                     string
}

func formOf(s moderation.Settings) settingsForm {
	n := strconv.Itoa
	return settingsForm{HoldAll: s.HoldAll, HoldFirstTime: s.HoldFirstTime, MaxLinks: n(s.MaxLinks), MinFillSeconds: n(s.MinFillSeconds),
		CommentsPerMinute: n(s.CommentsPerMinute), CommentsPerMinuteIP: n(s.CommentsPerMinuteIP),
		LikesPerMinute: n(s.LikesPerMinute), LikesIP: n(s.LikesPerMinuteIP),
		Words: strings.Join(s.BlockedWords, "\n"), Emails: strings.Join(s.BlockedEmails, "\n"),
		IPs: strings.Join(s.BlockedIPs, "\n"), Domains: strings.Join(s.BlockedDomains, "\n")}
}

// parse turns the form into settings, with a message per unreadable number.
func (f settingsForm) parse() (moderation.Settings, error) {
	p := news.Problems{}
	num := func(field, v string) int {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			p.Add(field, "Enter a whole number.")
		}
		return n
	}
	lines := func(v string) []string {
		return strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' })
	}
	s := moderation.Settings{HoldAll: f.HoldAll, HoldFirstTime: f.HoldFirstTime,
		MaxLinks: num("max_links", f.MaxLinks), MinFillSeconds: num("min_fill_seconds", f.MinFillSeconds),
		CommentsPerMinute: num("comments_per_minute", f.CommentsPerMinute), CommentsPerMinuteIP: num("comments_per_minute_ip", f.CommentsPerMinuteIP),
		LikesPerMinute: num("likes_per_minute", f.LikesPerMinute), LikesPerMinuteIP: num("likes_per_minute_ip", f.LikesIP),
		BlockedWords: lines(f.Words), BlockedEmails: lines(f.Emails), BlockedIPs: lines(f.IPs), BlockedDomains: lines(f.Domains)}
	return s, p.Err()
}

// settingsTarget is the account named by ?account= (or the form's
// account field): "" is the site.
func (s *server) settingsTarget(r *http.Request, handle string) (*news.Account, error) {
	if handle == "" {
		return nil, nil
	}
	return s.accounts.ByHandle(r.Context(), news.NormalizeHandle(handle))
}

func (s *server) newSettingsPage(r *http.Request, target *news.Account) (*settingsPage, error) {
	viewer := viewerOf(r)
	if err := requireAdmin(viewer); err != nil {
		return nil, err
	}
	var id int64
	p := &settingsPage{}
	p.Title = "Moderation settings"
	if target != nil {
		id, p.Handle = target.ID, target.Handle
	}
	set, has, err := s.moderation.Settings(r.Context(), id)
	if err != nil {
		return nil, err
	}
	p.Form, p.HasOverride = formOf(set), has
	if p.Bans, err = s.moderation.Bans(r.Context(), viewer); err != nil {
		return nil, err
	}
	p.Overrides, err = s.moderation.Overrides(r.Context())
	return p, err
}

// moderationSettings serves GET /moderation/settings[?account=HANDLE].
func (s *server) moderationSettings(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireModeration(); err != nil {
		return err
	}
	target, err := s.settingsTarget(r, r.URL.Query().Get("account"))
	if err != nil {
		return err
	}
	p, err := s.newSettingsPage(r, target)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("saved") == "1" {
		p.Done = "Settings saved."
	}
	return s.render(w, r, http.StatusOK, "moderation_settings", p)
}

// saveModerationSettings serves POST /moderation/settings: the site's
// settings, or with account=HANDLE that official account's override
// (remove=1 drops it). Problems show the form again as typed.
func (s *server) saveModerationSettings(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireModeration(); err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	target, err := s.settingsTarget(r, f.Get("account"))
	if err != nil {
		return err
	}
	var id int64
	dest := "/moderation/settings?saved=1"
	if target != nil {
		id, dest = target.ID, dest+"&account="+target.Handle
	}
	form := settingsForm{HoldAll: f.Get("hold_all") == "1", HoldFirstTime: f.Get("hold_first_time") == "1",
		MaxLinks: f.Get("max_links"), MinFillSeconds: f.Get("min_fill_seconds"),
		CommentsPerMinute: f.Get("comments_per_minute"), CommentsPerMinuteIP: f.Get("comments_per_minute_ip"),
		LikesPerMinute: f.Get("likes_per_minute"), LikesIP: f.Get("likes_per_minute_ip"),
		Words: f.Get("blocked_words"), Emails: f.Get("blocked_emails"), IPs: f.Get("blocked_ips"), Domains: f.Get("blocked_domains")}
	if f.Get("remove") == "1" {
		err = s.moderation.RemoveOverride(r.Context(), viewerOf(r), id)
	} else {
		var set moderation.Settings
		if set, err = form.parse(); err == nil {
			err = s.moderation.SaveSettings(r.Context(), viewerOf(r), id, set)
		}
	}
	if err == nil {
		http.Redirect(w, r, dest, http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	p, perr := s.newSettingsPage(r, target)
	if perr != nil {
		return perr
	}
	p.Form, p.Message, p.Errors = form, news.ErrorMessage(err), news.ErrorFields(err)
	return s.render(w, r, httpx.Status(err), "moderation_settings", p)
}

// liftBan serves POST /moderation/bans/{id}/delete.
func (s *server) liftBan(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireModeration(); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return news.Errorf(news.NotFound, "That ban does not exist.")
	}
	if err := s.moderation.LiftBan(r.Context(), viewerOf(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/moderation/settings?saved=1#bans", http.StatusSeeOther)
	return nil
}
