package accounts_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

func newService(t *testing.T, now func() time.Time) *accounts.Service {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return accounts.New(st, now)
}

func TestPasswordHash(t *testing.T) {
	h, err := accounts.HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not an argon2id PHC string with our parameters", h)
	}
	h2, _ := accounts.HashPassword("correct horse")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !accounts.CheckPassword(h, "correct horse") {
		t.Error("the right password is refused")
	}
	for _, bad := range []string{"correct horsE", "", "correct horse "} {
		if accounts.CheckPassword(h, bad) {
			t.Errorf("wrong password %q accepted", bad)
		}
	}
	for _, broken := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", strings.Replace(h, "v=19", "v=18", 1)} {
		if accounts.CheckPassword(broken, "correct horse") {
			t.Errorf("malformed hash %q accepted", broken)
		}
	}
}

func TestSignInSessionsAndTokens(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	svc := newService(t, func() time.Time { return now })
	ctx := t.Context()
	a, err := svc.Create(ctx, accounts.NewAccount{Handle: "@Li_Wei", Name: "李伟", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Handle != "li_wei" || a.Role != news.RoleReader {
		t.Fatalf("created %+v; want handle li_wei, role reader", a)
	}
	if _, err := svc.Create(ctx, accounts.NewAccount{Handle: "LI_WEI", Name: "x", Password: "another password"}); news.ErrorCode(err) != news.Conflict || news.ErrorFields(err)["handle"] == "" {
		t.Fatalf("taken handle: %v, want Conflict on field handle", err)
	}
	if _, _, err := svc.SignIn(ctx, "li_wei", "wrong password"); news.ErrorCode(err) != news.Unauthorized {
		t.Fatalf("wrong password: %v", err)
	}
	if _, _, err := svc.SignIn(ctx, "nobody", "a long password"); news.ErrorCode(err) != news.Unauthorized || strings.Contains(news.ErrorMessage(err), "exist") {
		t.Fatalf("unknown handle: %v (must not say whether the handle exists)", err)
	}
	_, token, err := svc.SignIn(ctx, "Li_Wei", "a long password")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := svc.SessionAccount(ctx, token); err != nil || got.ID != a.ID {
		t.Fatalf("SessionAccount: %v %v", got, err)
	}
	if _, err := svc.TokenAccount(ctx, token); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("a session token works as an API token: %v", err)
	}
	now = now.Add(accounts.SessionTTL)
	if _, err := svc.SessionAccount(ctx, token); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("expired session still valid: %v", err)
	}
	api, err := svc.CreateToken(ctx, "li_wei", "phone")
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(10 * 365 * 24 * time.Hour)
	if got, err := svc.TokenAccount(ctx, api); err != nil || got.ID != a.ID {
		t.Fatalf("API token: %v %v", got, err)
	}
	if err := svc.SignOut(ctx, "never-issued"); err != nil {
		t.Fatalf("signing out an unknown session: %v", err)
	}
}

func TestCreateValidates(t *testing.T) {
	svc := newService(t, nil)
	for _, tc := range []struct {
		in    accounts.NewAccount
		field string
	}{
		{accounts.NewAccount{Handle: "ab", Name: "n", Password: "long enough"}, "handle"},
		{accounts.NewAccount{Handle: "has space", Name: "n", Password: "long enough"}, "handle"},
		{accounts.NewAccount{Handle: "okay", Name: "", Password: "long enough"}, "name"},
		{accounts.NewAccount{Handle: "okay", Name: "evil\u202Eman", Password: "long enough"}, "name"},
		{accounts.NewAccount{Handle: "okay", Name: "n", Password: "short"}, "password"},
		{accounts.NewAccount{Handle: "okay", Name: "n", Email: "not-an-email", Password: "long enough"}, "email"},
		{accounts.NewAccount{Handle: "okay", Name: "n", Password: "long enough", Role: "king"}, "role"},
	} {
		_, err := svc.Create(t.Context(), tc.in)
		if news.ErrorCode(err) != news.Invalid || news.ErrorFields(err)[tc.field] == "" {
			t.Errorf("Create(%+v) = %v, want Invalid on %s", tc.in, err, tc.field)
		}
	}
}

func TestOnlyAdminsSetRolesAndLabels(t *testing.T) {
	svc := newService(t, nil)
	ctx := t.Context()
	admin, _ := svc.Create(ctx, accounts.NewAccount{Handle: "admin", Name: "Admin", Password: "long enough", Role: news.RoleAdmin})
	mod, _ := svc.Create(ctx, accounts.NewAccount{Handle: "mod", Name: "Mod", Password: "long enough", Role: news.RoleModerator})
	svc.Create(ctx, accounts.NewAccount{Handle: "paper", Name: "Paper", Password: "long enough"})
	if _, err := svc.SetOfficial(ctx, mod, "paper", "Newspaper"); news.ErrorCode(err) != news.Forbidden {
		t.Fatalf("moderator set a label: %v", err)
	}
	if _, err := svc.SetRole(ctx, mod, "paper", news.RolePublisher); news.ErrorCode(err) != news.Forbidden {
		t.Fatalf("moderator set a role: %v", err)
	}
	a, err := svc.SetOfficial(ctx, admin, "paper", " Newspaper ")
	if err != nil || a.Official != "Newspaper" {
		t.Fatalf("admin set label: %+v %v", a, err)
	}
	if a, err = svc.SetRole(ctx, nil, "paper", news.RolePublisher); err != nil || a.Role != news.RolePublisher {
		t.Fatalf("operator set role: %+v %v", a, err)
	}
	if _, err := svc.SetOfficial(ctx, admin, "ghost", "x"); news.ErrorCode(err) != news.NotFound {
		t.Fatalf("label on unknown account: %v", err)
	}
}
