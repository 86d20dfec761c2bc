package ui

import (
	"net/http"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/httpx"
	"github.com/headline/headline/internal/news"
)

// authPage is the sign-in or sign-up form. The password is never sent back.
type authPage struct {
	Base
	Handle  string
	Name    string
	Email   string
	Next    string
	Message string
	Errors  map[string]string
}

// signupForm serves GET /signup.
func (s *server) signupForm(w http.ResponseWriter, r *http.Request) error {
	p := &authPage{Next: safeNext(r.URL.Query().Get("next"))}
	p.Title = "Sign up"
	return s.render(w, r, http.StatusOK, "signup", p)
}

// signup serves POST /signup: it creates a reader account and signs it in.
func (s *server) signup(w http.ResponseWriter, r *http.Request) error {
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	next := safeNext(f.Get("next"))
	a, err := s.accounts.Create(r.Context(), accounts.NewAccount{Handle: f.Get("handle"), Name: f.Get("name"),
		Email: f.Get("email"), Password: f.Get("password")})
	if err == nil {
		var token string
		if token, err = s.accounts.StartSession(r.Context(), a.ID); err == nil {
			s.setSession(w, token)
			http.Redirect(w, r, next, http.StatusSeeOther)
			return nil
		}
	}
	if !formError(err) {
		return err
	}
	p := &authPage{Handle: shown(f.Get("handle")), Name: shown(f.Get("name")), Email: shown(f.Get("email")), Next: next,
		Message: news.ErrorMessage(err), Errors: news.ErrorFields(err)}
	p.Title = "Sign up"
	return s.render(w, r, httpx.Status(err), "signup", p)
}

// signinForm serves GET /signin.
func (s *server) signinForm(w http.ResponseWriter, r *http.Request) error {
	p := &authPage{Next: safeNext(r.URL.Query().Get("next"))}
	p.Title = "Sign in"
	return s.render(w, r, http.StatusOK, "signin", p)
}

// signin serves POST /signin and goes on to the local path in "next".
func (s *server) signin(w http.ResponseWriter, r *http.Request) error {
	if err := httpx.ParseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	next := safeNext(f.Get("next"))
	_, token, err := s.accounts.SignIn(r.Context(), f.Get("handle"), f.Get("password"))
	if err == nil {
		s.setSession(w, token)
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	p := &authPage{Handle: shown(f.Get("handle")), Next: next, Message: news.ErrorMessage(err), Errors: news.ErrorFields(err)}
	p.Title = "Sign in"
	return s.render(w, r, httpx.Status(err), "signin", p)
}

// signout serves POST /signout.
func (s *server) signout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.accounts.SignOut(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSession(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
