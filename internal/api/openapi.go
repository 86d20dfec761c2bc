package api

import (
	_ "embed"
	"net/http"
)

// openAPIDoc describes every route in routes.go; TestOpenAPIMatchesRoutes
// keeps the two in step.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI handles GET /api/v1/openapi.json.
func (s *server) openAPI(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=300")
	// A failed write means the client went away; there is no one to tell.
	_, _ = w.Write(openAPIDoc)
	return nil
}
