package api

// routes registers the whole API surface. Every route is described in
// openapi.json; TestOpenAPIMatchesRoutes fails when the two disagree.
//
// Any route accepts an optional bearer token; a bad one is a 401 everywhere.
// Which calls need an account (and which role) is the services' rule, not
// the router's, so the groups below are for the reader only.
func (s *server) routes() {
	// Public reads: guests see what is published; the token adds the
	// caller's own drafts and scheduled posts.
	s.handle("GET /api/v1/openapi.json", s.openAPI)
	s.handle("GET /api/v1/posts", s.listPosts)
	s.handle("GET /api/v1/posts/{id}", s.getPost)
	s.handle("GET /api/v1/posts/{id}/comments", s.listComments)
	s.handle("GET /api/v1/accounts/{handle}", s.getAccount)

	// Writes open to guests (name and email instead of a token).
	s.handle("POST /api/v1/posts/{id}/comments", s.createComment)

	// Writes that need a token: publishers and admins.
	s.handle("POST /api/v1/posts", s.createPost)
	s.handle("PATCH /api/v1/posts/{id}", s.updatePost)

	// The caller's own account.
	s.handle("GET /api/v1/me", s.getMe)
}
