package moderation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/headline/headline/internal/news"
)

// Action is what a rate limit counts.
type Action string

const (
	ActComment Action = "comment"
	ActLike    Action = "like"
)

// rateWindow is the length of the fixed windows the limits count in.
const rateWindow = time.Minute

// Limit counts one action by a writer (identities: account, guest email,
// guest cookie, any that are known) from ip, and refuses it with TooMany,
// carrying how long to wait, when the site's per-minute limit for the IP or
// for any identity is passed. The counters live in the database, so the
// limit holds across instances. Refused attempts count too: a flood keeps
// being refused until it slows down.
func (s *Service) Limit(ctx context.Context, act Action, ip string, identities ...string) error {
	if s.NoRateLimits {
		return nil
	}
	site, _, err := s.settings(ctx, -1)
	if err != nil {
		return err
	}
	perID, perIP := site.CommentsPerMinute, site.CommentsPerMinuteIP
	if act == ActLike {
		perID, perIP = site.LikesPerMinute, site.LikesPerMinuteIP
	}
	var keys []string
	var limits []int
	if ip != "" && perIP > 0 {
		keys, limits = append(keys, string(act)+":ip:"+ip), append(limits, perIP)
	}
	for _, id := range identities {
		if id != "" && perID > 0 {
			keys, limits = append(keys, string(act)+":id:"+strings.ToLower(id)), append(limits, perID)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	now := s.now()
	window := now.Truncate(rateWindow)
	counts, err := s.store.CountHits(ctx, keys, window, window.Add(-rateWindow))
	if err != nil {
		return err
	}
	for i, n := range counts {
		if n > int64(limits[i]) {
			wait := window.Add(rateWindow).Sub(now)
			s.log.WarnContext(ctx, "rate limited", "action", act, "key", keys[i], "count", n, "limit", limits[i])
			return tooMany(act, wait)
		}
	}
	return nil
}

// tooMany is the error of a passed limit: a sentence with the wait in
// whole seconds (at least one), and the wait itself for Retry-After.
func tooMany(act Action, wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	what := "posting comments"
	if act == ActLike {
		what = "liking"
	}
	unit := "seconds"
	if secs == 1 {
		unit = "second"
	}
	return &news.Error{Code: news.TooMany,
		Message: fmt.Sprintf("You are %s too fast. Please wait %d %s and try again.", what, secs, unit),
		Err:     &news.RetryAfter{Wait: time.Duration(secs) * time.Second}}
}
