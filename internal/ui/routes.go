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
	mux.Handle("GET /{$}", h(s.headlines))
	mux.Handle("GET /latest", h(s.latest))
	mux.Handle("GET /{seg}", h(s.profile))
	// /@h/followers, /@h/following and /@h/feed.{atom,rss,json} share this
	// pattern with articles: a literal second segment would conflict with
	// /p/{id} and /t/{tag} in ServeMux. See accountSub.
	mux.Handle("GET /{seg}/{slug}", h(s.accountSub))
	mux.Handle("GET /p/{id}", h(s.articleByID))
	mux.Handle("GET /t/{tag}", h(s.tag))
	mux.Handle("GET /static/{file}", http.HandlerFunc(s.static.serve))
	for _, f := range feedFormats {
		mux.Handle("GET /feed."+f.ext, h(s.siteFeed(f.ext)))
		mux.Handle("GET /t/{tag}/feed."+f.ext, h(s.tagFeed(f.ext)))
	}

	// Following, notifications and reactions to posts: the services say
	// who may (following and notifications need an account; likes and
	// shares are open to guests, who get a guest id cookie).
	mux.Handle("GET /following", h(s.timeline))
	mux.Handle("GET /notifications", h(s.notifications))
	mux.Handle("POST /notifications/read", h(s.markRead))
	mux.Handle("POST /{seg}/follow", h(s.follow))
	mux.Handle("POST /p/{id}/like", h(s.likePost))
	mux.Handle("POST /p/{id}/share", h(s.sharePost))

	// Comments: guests and accounts.
	mux.Handle("POST /p/{id}/comments", h(s.postComment))
	mux.Handle("GET /p/{id}/c/{cid}", h(s.commentThread))
	mux.Handle("POST /c/{id}/like", h(s.likeComment))
	// Edit, delete and pin: the writer, the post's author or moderators
	// (the discussion service checks who).
	mux.Handle("POST /c/{id}/edit", h(s.editComment))
	mux.Handle("POST /c/{id}/delete", h(s.deleteComment))
	mux.Handle("POST /c/{id}/pin", h(s.pinComment))

	// Moderation: the queue for moderators and for authors (comments on
	// their posts), settings and bans for admins, reports from any reader.
	mux.Handle("GET /moderation", h(s.moderationQueue))
	mux.Handle("POST /moderation", h(s.moderationAct))
	mux.Handle("GET /moderation/settings", h(s.moderationSettings))
	mux.Handle("POST /moderation/settings", h(s.saveModerationSettings))
	mux.Handle("POST /moderation/bans/{id}/delete", h(s.liftBan))
	mux.Handle("GET /c/{id}/report", h(s.reportCommentForm))
	mux.Handle("POST /c/{id}/report", h(s.reportComment))

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
	// Deleting: the author, moderators and admins (the service checks).
	mux.Handle("GET /p/{id}/delete", h(s.deletePostForm))
	mux.Handle("POST /p/{id}/delete", h(s.deletePost))

	// Media: uploads from the editor (publishers; JSON for its script) and
	// the files themselves, with range requests, for everyone.
	mux.Handle("POST /media", h(s.uploadMedia))
	mux.Handle("GET /media/{key}", h(s.serveMedia))

	// Administration: admins only.
	mux.Handle("GET /admin", h(s.adminForm))
	mux.Handle("POST /admin/accounts", h(s.adminAccounts))
	mux.Handle("GET /admin/jobs", h(s.adminJobs))

	// Anything else is a 404 page rather than the mux's plain text.
	mux.Handle("/", h(s.notFound))
	return mux
}
