package loadgen

import (
	"context"
	"fmt"
	"time"

	"github.com/headline/headline/internal/news"
)

// Account kinds, in op.kind.
const (
	kindOfficial = iota
	kindPublisher
	kindModerator
	kindReader
)

// genAccount generates account i of the run into o. Everything about it
// comes from i and the seed alone.
func (g *Generator) genAccount(r *itemRand, i int, o *op) {
	r.at(streamAccounts, i)
	a := &o.account
	o.index = i
	o.at = g.signup(i)
	switch {
	case i == 0:
		h := markerHandle(g.run)
		*a = news.Account{Handle: h, Name: "Loadgen Newswire", Email: h + "@example.com",
			Bio: g.cfg.fingerprint(), Role: news.RolePublisher, Official: "Agency"}
		o.lang, o.kind = langEN, kindOfficial
	case i < g.nOfficial:
		of := officials[i-1]
		h := handle(of.Stem, i, g.run)
		*a = news.Account{Handle: h, Name: of.Name, Email: h + "@example.com", Bio: of.Bio,
			Role: news.RolePublisher, Official: of.Label}
		o.lang, o.kind = int8(of.Lang), kindOfficial
	default:
		lang := [4]int{langEN, langEN, langZH, langRU}[r.IntN(4)]
		p := newPerson(r.Rand, lang)
		*a = news.Account{Handle: handle(p.Stem, i, g.run), Name: p.Name, Role: news.RoleReader}
		o.lang, o.kind = int8(lang), kindReader
		switch {
		case i < g.nPublishers:
			a.Role, o.kind = news.RolePublisher, kindPublisher
		case i < g.nPublishers+g.nModerators:
			a.Role, o.kind = news.RoleModerator, kindModerator
		}
		if r.IntN(5) > 0 {
			a.Email = a.Handle + "@" + pick(r.Rand, emailDomains)
		}
		if r.IntN(2) == 0 {
			a.Bio = pick(r.Rand, bios[lang])
		}
	}
}

// signup is when account i signed up: sign-ups spread over the year before
// the first post, in index order.
func (g *Generator) signup(i int) time.Time {
	span := 365 * 24 * time.Hour
	first := g.cfg.Now.Add(-time.Duration(g.cfg.Days)*24*time.Hour - span)
	return first.Add(time.Duration(float64(span) * float64(i) / float64(g.cfg.Accounts))).UTC().Truncate(time.Microsecond)
}

func (g *Generator) accountsPhase() *phase {
	return &phase{
		name:  "accounts",
		total: g.cfg.Accounts,
		produce: func(b *batcher, from int, skipped *Stats) error {
			r := newItemRand(g.cfg.Seed)
			for i := range g.cfg.Accounts {
				if i < from {
					g.genAccount(r, i, &b.skip)
					countAccount(skipped, &b.skip)
					continue
				}
				o := b.slot()
				if o == nil {
					return errStopped
				}
				g.genAccount(r, i, o)
				if err := checkAccount(&o.account); err != nil {
					return fmt.Errorf("generated account %d (@%s) is not valid: %w", i, o.account.Handle, err)
				}
			}
			return nil
		},
		write: func(ctx context.Context, bl news.BulkLoader, batch []op) error {
			list := make([]*news.Account, len(batch))
			for k := range batch {
				o := &batch[k]
				o.account.ID, o.account.CreatedAt = g.accountID(o.index), o.at
				list[k] = &o.account
			}
			return bl.LoadAccounts(ctx, list, g.hash)
		},
		count: countAccount,
	}
}

func countAccount(s *Stats, o *op) {
	s.Accounts++
	s.AccountLangs[o.lang]++
	switch o.kind {
	case kindOfficial:
		s.Officials++
	case kindPublisher:
		s.Publishers++
	case kindModerator:
		s.Moderators++
	default:
		s.Readers++
	}
}

// lastRun finds the newest run on the site by its marker account: run r's
// marker exists for every r up to the last. It returns 0 and nil when there
// is none.
func (g *Generator) lastRun(ctx context.Context) (int, *news.Account, error) {
	var last *news.Account
	for r := 1; ; r++ {
		a, err := g.st.AccountByHandle(ctx, markerHandle(r))
		if news.ErrorCode(err) == news.NotFound {
			return r - 1, last, nil
		}
		if err != nil {
			return 0, nil, fmt.Errorf("look for earlier runs: %w", err)
		}
		last = a
	}
}
