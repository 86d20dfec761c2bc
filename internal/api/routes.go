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
	s.handle("GET /api/v1/comments/{id}/replies", s.listReplies)
	s.handle("GET /api/v1/accounts/{handle}", s.getAccount)

	// Writes open to guests (name and email instead of a token).
	s.handle("POST /api/v1/posts/{id}/comments", s.createComment)

	// Writes that need a token: publishers and admins; deleting also the
	// author who may no longer publish, and moderators.
	s.handle("POST /api/v1/posts", s.createPost)
	s.handle("PATCH /api/v1/posts/{id}", s.updatePost)
	s.handle("DELETE /api/v1/posts/{id}", s.deletePost)

	// Comments after writing: likes need a token; edit and delete are the
	// writer's (or a moderator's), pins the post author's or a moderator's.
	s.handle("POST /api/v1/comments/{id}/like", s.likeComment)
	s.handle("DELETE /api/v1/comments/{id}/like", s.likeComment)
	s.handle("PATCH /api/v1/comments/{id}", s.editComment)
	s.handle("DELETE /api/v1/comments/{id}", s.deleteComment)
	s.handle("POST /api/v1/comments/{id}/pin", s.pinComment)
	s.handle("DELETE /api/v1/comments/{id}/pin", s.pinComment)

	// The caller's own account.
	s.handle("GET /api/v1/me", s.getMe)

	// Follows (a token to follow; the lists are public), the two feeds
	// (headlines open to guests, following needs a token), likes and shares
	// of posts (likes need a token), and the caller's notifications.
	s.handle("POST /api/v1/accounts/{handle}/follow", s.follow)
	s.handle("DELETE /api/v1/accounts/{handle}/follow", s.follow)
	s.handle("GET /api/v1/accounts/{handle}/followers", s.listFollowers)
	s.handle("GET /api/v1/accounts/{handle}/following", s.listFollowing)
	s.handle("GET /api/v1/feed/following", s.followingFeed)
	s.handle("GET /api/v1/feed/headlines", s.headlinesFeed)
	s.handle("GET /api/v1/feed/trending", s.trendingFeed)
	s.handle("POST /api/v1/posts/{id}/like", s.likePost)
	s.handle("DELETE /api/v1/posts/{id}/like", s.likePost)
	s.handle("POST /api/v1/posts/{id}/share", s.sharePost)
	s.handle("GET /api/v1/notifications", s.listNotifications)
	s.handle("POST /api/v1/notifications/read", s.markNotificationsRead)

	// Moderation: the queue for moderators and authors (the service says
	// who sees what); reports need a token, since the API has no guest id.
	s.handle("GET /api/v1/moderation/comments", s.moderationQueue)
	s.handle("POST /api/v1/moderation/comments", s.moderateComments)
	s.handle("POST /api/v1/comments/{id}/report", s.reportComment)
	s.handle("GET /api/v1/moderation/settings", s.moderationSettings)
	s.handle("PUT /api/v1/moderation/settings", s.moderationSettings)
	s.handle("DELETE /api/v1/moderation/settings", s.moderationSettings)

	// Media: uploads and subtitles need a publisher's token; a media item
	// is public (its URLs are in the pages that use it), its failure
	// reason only for its owner.
	s.handle("POST /api/v1/media", s.uploadMedia)
	s.handle("GET /api/v1/media/{id}", s.getMedia)
	s.handle("POST /api/v1/media/{id}/subtitles", s.addSubtitles)
}
