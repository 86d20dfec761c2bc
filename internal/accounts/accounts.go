// Package accounts owns who people are on Headline: signing up and in,
// browser sessions and API tokens, roles and official (verified) labels.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/headline/headline/internal/news"
)

// SessionTTL is how long a browser session lasts after sign-in.
const SessionTTL = 30 * 24 * time.Hour

// Store is what the accounts service needs from storage.
type Store interface {
	news.AccountStore
	news.SessionStore
}

// Service applies the account rules over a Store.
type Service struct {
	store Store
	now   func() time.Time
	// dummyHash is checked when a handle does not exist, so that a sign-in
	// for an unknown handle takes as long as one with a wrong password.
	dummyHash string
}

// New returns a Service. now may be nil for time.Now.
func New(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	h, _ := HashPassword("not a real password, only for timing")
	return &Service{store: store, now: now, dummyHash: h}
}

// NewAccount is what a person, an admin or the CLI gives to create an
// account.
type NewAccount struct {
	Handle   string
	Name     string
	Email    string
	Password string
	Role     news.Role // "" means reader
	Official string    // "" means not official
}

// Create checks n and creates the account. Only the CLI and admins may pass
// a role other than reader or an official label; callers enforce that.
func (s *Service) Create(ctx context.Context, n NewAccount) (*news.Account, error) {
	n.Handle = news.NormalizeHandle(n.Handle)
	n.Name = strings.TrimSpace(n.Name)
	n.Email = strings.TrimSpace(n.Email)
	n.Official = strings.TrimSpace(n.Official)
	if n.Role == "" {
		n.Role = news.RoleReader
	}
	p := news.Problems{}
	news.CheckHandle(p, "handle", n.Handle)
	news.CheckLine(p, "name", "Name", n.Name, news.MaxName, true)
	news.CheckEmail(p, "email", n.Email, false)
	checkPassword(p, n.Password)
	if !n.Role.Valid() {
		p.Add("role", "Role must be reader, publisher, moderator or admin.")
	}
	news.CheckLine(p, "official", "Official label", n.Official, news.MaxOfficial, false)
	if err := p.Err(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	a := &news.Account{Handle: n.Handle, Name: n.Name, Email: n.Email, Role: n.Role, Official: n.Official}
	if err := s.store.CreateAccount(ctx, a, hash); err != nil {
		if news.ErrorCode(err) == news.Conflict {
			return nil, &news.Error{Code: news.Conflict, Message: "That handle is taken.", Fields: map[string]string{"handle": "That handle is taken; choose another."}}
		}
		return nil, err
	}
	return a, nil
}

func checkPassword(p news.Problems, pw string) {
	switch n := len([]rune(pw)); {
	case n < news.MinPassword:
		p.Add("password", "A password has at least 8 characters.")
	case len(pw) > news.MaxPassword:
		p.Add("password", "A password has at most 256 bytes.")
	}
}

// SignIn checks a handle and password and starts a browser session. It
// returns the account and the session token to put in a cookie.
func (s *Service) SignIn(ctx context.Context, handle, password string) (*news.Account, string, error) {
	bad := &news.Error{Code: news.Unauthorized, Message: "That handle and password do not match an account."}
	a, err := s.store.AccountByHandle(ctx, news.NormalizeHandle(handle))
	if news.ErrorCode(err) == news.NotFound {
		CheckPassword(s.dummyHash, password)
		return nil, "", bad
	}
	if err != nil {
		return nil, "", err
	}
	hash, err := s.store.PasswordHash(ctx, a.ID)
	if err != nil {
		return nil, "", err
	}
	if !CheckPassword(hash, password) {
		return nil, "", bad
	}
	now := s.now()
	token, err := s.issue(ctx, news.Session{AccountID: a.ID, Kind: news.KindSession, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)})
	if err != nil {
		return nil, "", err
	}
	return a, token, nil
}

// StartSession starts a browser session for an account that has just been
// created or otherwise proved who it is.
func (s *Service) StartSession(ctx context.Context, accountID int64) (string, error) {
	now := s.now()
	return s.issue(ctx, news.Session{AccountID: accountID, Kind: news.KindSession, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)})
}

// SessionAccount returns the account of a browser session token.
func (s *Service) SessionAccount(ctx context.Context, token string) (*news.Account, error) {
	return s.store.SessionAccount(ctx, hashToken(token), news.KindSession, s.now())
}

// SignOut ends a browser session. Ending one that does not exist is no error.
func (s *Service) SignOut(ctx context.Context, token string) error {
	err := s.store.DeleteSession(ctx, hashToken(token))
	if news.ErrorCode(err) == news.NotFound {
		return nil
	}
	return err
}

// CreateToken makes a named API token for the account with this handle.
func (s *Service) CreateToken(ctx context.Context, handle, name string) (string, error) {
	a, err := s.store.AccountByHandle(ctx, news.NormalizeHandle(handle))
	if err != nil {
		return "", err
	}
	if name == "" {
		name = "api"
	}
	return s.issue(ctx, news.Session{AccountID: a.ID, Kind: news.KindAPIToken, Name: name, CreatedAt: s.now()})
}

// TokenAccount returns the account of an API bearer token.
func (s *Service) TokenAccount(ctx context.Context, token string) (*news.Account, error) {
	return s.store.SessionAccount(ctx, hashToken(token), news.KindAPIToken, s.now())
}

// ByHandle returns the account with this handle.
func (s *Service) ByHandle(ctx context.Context, handle string) (*news.Account, error) {
	return s.store.AccountByHandle(ctx, news.NormalizeHandle(handle))
}

// SetOfficial marks the account as official with a label, or clears it with
// "". Only admins may; actor nil means the operator at the command line.
func (s *Service) SetOfficial(ctx context.Context, actor *news.Account, handle, label string) (*news.Account, error) {
	if actor != nil && actor.Role != news.RoleAdmin {
		return nil, news.Errorf(news.Forbidden, "Only an admin can mark an account as official.")
	}
	label = strings.TrimSpace(label)
	p := news.Problems{}
	news.CheckLine(p, "official", "Official label", label, news.MaxOfficial, false)
	if err := p.Err(); err != nil {
		return nil, err
	}
	a, err := s.ByHandle(ctx, handle)
	if err != nil {
		return nil, err
	}
	return s.store.UpdateAccount(ctx, a.ID, news.AccountUpdate{Official: &label})
}

// SetRole changes an account's role. Only admins may; actor nil means the
// operator at the command line.
func (s *Service) SetRole(ctx context.Context, actor *news.Account, handle string, role news.Role) (*news.Account, error) {
	if actor != nil && actor.Role != news.RoleAdmin {
		return nil, news.Errorf(news.Forbidden, "Only an admin can change roles.")
	}
	if !role.Valid() {
		return nil, &news.Error{Code: news.Invalid, Message: "Role must be reader, publisher, moderator or admin.", Fields: map[string]string{"role": "unknown role"}}
	}
	a, err := s.ByHandle(ctx, handle)
	if err != nil {
		return nil, err
	}
	return s.store.UpdateAccount(ctx, a.ID, news.AccountUpdate{Role: &role})
}

// issue stores a new random credential and returns its token. Only the
// SHA-256 of the token is kept, so a leaked database holds no live tokens.
func (s *Service) issue(ctx context.Context, sess news.Session) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	sess.TokenHash = hashToken(token)
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", err
	}
	return token, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// GeneratePassword returns a random password for accounts made at the
// command line without one.
func GeneratePassword() string {
	raw := make([]byte, 15)
	rand.Read(raw)
	return base64.RawURLEncoding.EncodeToString(raw)
}
