package ui

import (
	"net/http"
	"strings"

	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/news"
)

// adminPage is the admin's form for an account's official label and role.
type adminPage struct {
	Base
	Handle   string
	Official string
	Role     string
	Roles    []news.Role
	Done     string // what the last change did
	Message  string
	Errors   map[string]string
	// Media is what media processing can do on this server.
	Media []media.Capability
}

var roles = []news.Role{news.RoleReader, news.RolePublisher, news.RoleModerator, news.RoleAdmin}

func requireAdmin(viewer *news.Account) error {
	if viewer == nil {
		return news.Errorf(news.Unauthorized, "Sign in as an admin.")
	}
	if viewer.Role != news.RoleAdmin {
		return news.Errorf(news.Forbidden, "Only admins can see this page.")
	}
	return nil
}

func (s *server) newAdminPage() *adminPage {
	p := &adminPage{Roles: roles, Media: s.mediaCaps}
	p.Title = "Admin"
	return p
}

// adminForm serves GET /admin.
func (s *server) adminForm(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(viewerOf(r)); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin", s.newAdminPage())
}

// adminAccounts serves POST /admin/accounts: it sets an account's official
// label ("" clears it) and, when one is chosen, its role.
func (s *server) adminAccounts(w http.ResponseWriter, r *http.Request) error {
	viewer := viewerOf(r)
	if err := requireAdmin(viewer); err != nil {
		return err
	}
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	p := s.newAdminPage()
	p.Handle, p.Official, p.Role = shown(f.Get("handle")), shown(f.Get("official")), shown(f.Get("role"))
	a, err := s.accounts.SetOfficial(r.Context(), viewer, f.Get("handle"), f.Get("official"))
	if err == nil && f.Get("role") != "" {
		a, err = s.accounts.SetRole(r.Context(), viewer, f.Get("handle"), news.Role(f.Get("role")))
	}
	if err != nil {
		if !formError(err) && news.ErrorCode(err) != news.NotFound {
			return err
		}
		p.Message, p.Errors = news.ErrorMessage(err), news.ErrorFields(err)
		if news.ErrorCode(err) == news.NotFound {
			p.Errors = map[string]string{"handle": "No account has that handle."}
		}
		return s.render(w, r, httpx.Status(err), "admin", p)
	}
	var b strings.Builder
	b.WriteString("Updated @" + a.Handle + ": role " + string(a.Role) + ", ")
	if a.Official == "" {
		b.WriteString("not official.")
	} else {
		b.WriteString("official “" + a.Official + "”.")
	}
	p.Done = b.String()
	return s.render(w, r, http.StatusOK, "admin", p)
}
