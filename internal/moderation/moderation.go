// Package moderation holds the rules that keep spam and abuse out of the
// comments: per-site settings with overrides for official accounts, a spam
// score with its reasons, bans, rate limits, the guest form's honeypot and
// minimum fill time, the moderation queue and readers' reports. It knows
// nothing of HTTP or SQL; the discussion service calls it on every write.
package moderation

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/headline/headline/internal/news"
)

// Store is what moderation needs from storage.
type Store interface {
	news.ModerationStore
	CommentByID(ctx context.Context, id int64) (*news.Comment, error)
	PostByID(ctx context.Context, id int64) (*news.Post, error)
	AccountByID(ctx context.Context, id int64) (*news.Account, error)
}

// Service applies the moderation rules over a Store. It caches the
// settings in memory: the write path reads their version with the
// writer's facts anyway, and reloads them only when it moved, so a change
// made on any instance is seen by the next comment on every instance.
type Service struct {
	store Store
	now   func() time.Time
	log   *slog.Logger
	// NoRateLimits turns rate limiting off, for load tests on a copy of a
	// site; never on a public site.
	NoRateLimits bool

	mu       sync.RWMutex
	loaded   bool
	version  int64
	site     Settings
	override map[int64]Settings

	keyOnce sync.Mutex
	formKey []byte
}

// New returns a Service. now may be nil for time.Now; log nil for the
// default logger.
func New(store Store, now func() time.Time, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: store, now: now, log: log}
}

// settings returns the cached settings, loading them when the cache is
// empty or older than version (version < 0: whatever is cached).
func (s *Service) settings(ctx context.Context, version int64) (Settings, map[int64]Settings, error) {
	s.mu.RLock()
	site, over, ok := s.site, s.override, s.loaded && (version < 0 || version == s.version)
	s.mu.RUnlock()
	if ok {
		return site, over, nil
	}
	ms, err := s.store.LoadModerationSettings(ctx)
	if err != nil {
		return Settings{}, nil, err
	}
	site, err = decode(ms.Scopes[0])
	if err != nil {
		return Settings{}, nil, settingsErr("site settings", err)
	}
	over = map[int64]Settings{}
	for scope, data := range ms.Scopes {
		if scope == 0 {
			continue
		}
		if over[scope], err = decode(data); err != nil {
			return Settings{}, nil, settingsErr("settings of account "+strconv.FormatInt(scope, 10), err)
		}
	}
	s.mu.Lock()
	s.loaded, s.version, s.site, s.override = true, ms.Version, site, over
	s.mu.Unlock()
	return site, over, nil
}

func settingsErr(what string, err error) error {
	return &news.Error{Code: news.Internal, Message: "The moderation settings cannot be read.", Err: &wrapped{what, err}}
}

type wrapped struct {
	what string
	err  error
}

func (w *wrapped) Error() string { return "decode " + w.what + ": " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }

// Submission is a comment about to be stored, as Decide sees it.
type Submission struct {
	Comment *news.Comment // AccountID, Email, IP, Body, Website, AuthorName set
	Post    *news.Post
	Writer  *news.Account // nil for a guest
	// WriterKey is the Reader key of the writer ("a:<id>", or "g:<guest
	// id>" from the browser's guest cookie; "" for an API guest).
	WriterKey string
	// Form is the guest form's anti-spam fields; nil when the comment did
	// not come through the HTML form (the API, or a signed-in writer).
	Form *Form
}

// Decide checks the writer against the bans and judges the comment: it
// sets c.Status and, when anything counts against it, c.Review. A banned
// writer is Forbidden. It costs one small indexed read (WriterFacts).
// Moderators, admins and the post's author are trusted: their comments
// are published, though bans still apply.
func (s *Service) Decide(ctx context.Context, sub Submission) error {
	facts, err := s.store.WriterFacts(ctx, WriterQuery(sub.Comment))
	if err != nil {
		return err
	}
	return s.DecideWith(ctx, sub, facts)
}

// WriterQuery names the writer of c for WriterFacts.
func WriterQuery(c *news.Comment) news.WriterQuery {
	return news.WriterQuery{AccountID: c.AccountID, Email: strings.ToLower(c.Email), IP: c.IP}
}

// DecideWith is Decide with the writer's facts already read (for
// WriterQuery(sub.Comment)), for a caller that reads them together with
// its own reads.
func (s *Service) DecideWith(ctx context.Context, sub Submission, facts news.WriterFacts) error {
	c := sub.Comment
	if facts.Banned != "" {
		s.log.InfoContext(ctx, "comment refused: writer banned", "ban", facts.Banned, "account", c.AccountID, "ip", c.IP)
		return news.Errorf(news.Forbidden, "You can no longer comment on this site: a moderator has blocked this %s.", bannedWhat(facts.Banned))
	}
	site, over, err := s.settings(ctx, facts.SettingsVersion)
	if err != nil {
		return err
	}
	rules := site
	if o, ok := over[sub.Post.AuthorID]; ok {
		rules = o
	}
	f := Facts{Known: facts.Known}
	if sub.Form != nil {
		fill, honeypot, err := s.checkForm(ctx, sub.Form, sub.Post.ID)
		if err != nil {
			return err
		}
		f.Fill, f.Honeypot = fill, honeypot
	}
	v := Judge(rules, c, f)
	if sub.Writer != nil && (sub.Writer.Role.CanModerate() || sub.Writer.ID == sub.Post.AuthorID) {
		v = Verdict{Status: news.CommentPublished}
	}
	c.Status = v.Status
	if len(v.Reasons) > 0 {
		c.Review = &news.Review{Score: v.Score, Reasons: v.Reasons, Writer: sub.WriterKey}
		s.log.InfoContext(ctx, "comment held", "status", v.Status, "score", v.Score, "reasons", strings.Join(v.Reasons, "; "), "post", sub.Post.ID, "ip", c.IP)
	}
	return nil
}

func bannedWhat(k news.BanKind) string {
	switch k {
	case news.BanAccount:
		return "account"
	case news.BanEmail:
		return "email address"
	}
	return "network address"
}

// Settings returns the site's settings, and the override of the account
// with this id (when accountID != 0), and whether it has one.
func (s *Service) Settings(ctx context.Context, accountID int64) (Settings, bool, error) {
	site, over, err := s.settings(ctx, -1)
	if err != nil || accountID == 0 {
		return site, false, err
	}
	if o, ok := over[accountID]; ok {
		return o, true, nil
	}
	return site, false, nil
}

// SaveSettings stores the site's settings (accountID 0) or an official
// account's override; admins only. The cache reloads at once here and at
// the next comment on other instances.
func (s *Service) SaveSettings(ctx context.Context, viewer *news.Account, accountID int64, set Settings) error {
	if viewer == nil || viewer.Role != news.RoleAdmin {
		return news.Errorf(news.Forbidden, "Only admins can change the moderation settings.")
	}
	set.Normalize()
	if err := set.Validate(); err != nil {
		return err
	}
	if accountID != 0 {
		a, err := s.store.AccountByID(ctx, accountID)
		if err != nil {
			return err
		}
		if a.Official == "" {
			return news.Errorf(news.Invalid, "Only official accounts can have their own moderation settings.")
		}
	}
	v, err := s.store.SaveModerationSettings(ctx, accountID, encode(set))
	if err != nil {
		return err
	}
	_, _, err = s.settings(ctx, v)
	return err
}

// RemoveOverride drops an official account's own settings; its posts
// follow the site's again.
func (s *Service) RemoveOverride(ctx context.Context, viewer *news.Account, accountID int64) error {
	if viewer == nil || viewer.Role != news.RoleAdmin {
		return news.Errorf(news.Forbidden, "Only admins can change the moderation settings.")
	}
	if accountID == 0 {
		return news.Errorf(news.Invalid, "The site's settings cannot be removed.")
	}
	v, err := s.store.SaveModerationSettings(ctx, accountID, "")
	if err != nil {
		return err
	}
	_, _, err = s.settings(ctx, v)
	return err
}

// Overrides returns the official accounts with their own settings.
func (s *Service) Overrides(ctx context.Context) ([]*news.Account, error) {
	_, over, err := s.settings(ctx, -1)
	if err != nil {
		return nil, err
	}
	var out []*news.Account
	for id := range over {
		a, err := s.store.AccountByID(ctx, id)
		if news.ErrorCode(err) == news.NotFound {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *news.Account) int { return strings.Compare(a.Handle, b.Handle) })
	return out, nil
}
