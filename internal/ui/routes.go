package ui

import "net/http"

// routes is the whole HTML surface. Literal routes (/signin, /p/{id}) win
// over the /{seg} wildcards, which serve /@handle pages: ServeMux patterns
// cannot start a segment with "@", so those handlers 404 other segments.
// Every state-changing route sits behind the cross-origin protection that New
// wraps around this mux.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	h := s.handle

	// Reading: open to everyone.
	mux.Handle("GET /{$}", h(s.home))
	mux.Handle("GET /{seg}", h(s.profile))
	mux.Handle("GET /{seg}/{slug}", h(s.articleBySlug))
	mux.Handle("GET /p/{id}", h(s.articleByID))
	mux.Handle("GET /t/{tag}", h(s.tag))
	mux.Handle("GET /static/{file}", http.HandlerFunc(s.static.serve))

	// Comments: guests and accounts.
	mux.Handle("POST /p/{id}/comments", h(s.postComment))

	// Accounts.
	mux.Handle("GET /signup", h(s.signupForm))
	mux.Handle("POST /signup", h(s.signup))
	mux.Handle("GET /signin", h(s.signinForm))
	mux.Handle("POST /signin", h(s.signin))
	mux.Handle("POST /signout", h(s.signout))

	// Writing: publishers and admins (the service checks the role).
	mux.Handle("GET /write", h(s.writeForm))
	mux.Handle("POST /write", h(s.write))
	mux.Handle("GET /p/{id}/edit", h(s.editForm))
	mux.Handle("POST /p/{id}/edit", h(s.edit))

	// Administration: admins only.
	mux.Handle("GET /admin", h(s.adminForm))
	mux.Handle("POST /admin/accounts", h(s.adminAccounts))

	// Anything else is a 404 page rather than the mux's plain text.
	mux.Handle("/", h(s.notFound))
	return mux
}
