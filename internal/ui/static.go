package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"github.com/headline/headline/internal/httpx"
	"io/fs"
	"net/http"
	"path"
)

//go:embed static
var staticFS embed.FS

// staticFiles are the embedded CSS and JavaScript, each with a hash of its
// content. Pages link to /static/name?v=hash, so a file can be cached for a
// year and a new release still reaches every browser at once.
type staticFiles struct {
	files map[string]staticFile
}

type staticFile struct {
	body        []byte
	hash        string
	contentType string
}

var staticTypes = map[string]string{
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
	".ico":  "image/x-icon",
	".html": "text/html; charset=utf-8",
}

func loadStatic() (*staticFiles, error) {
	sf := &staticFiles{files: map[string]staticFile{}}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(staticFS, "static/"+e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		ct := staticTypes[path.Ext(e.Name())]
		if ct == "" {
			ct = "application/octet-stream"
		}
		sf.files[e.Name()] = staticFile{body: body, hash: hex.EncodeToString(sum[:6]), contentType: ct}
	}
	return sf, nil
}

// url is the address of a static file with its content hash.
func (sf *staticFiles) url(name string) string {
	f, ok := sf.files[name]
	if !ok {
		return "/static/" + name
	}
	return "/static/" + name + "?v=" + f.hash
}

// serve handles GET /static/{file}.
func (sf *staticFiles) serve(w http.ResponseWriter, r *http.Request) {
	httpx.NoteRoute(r)
	f, ok := sf.files[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+f.hash+`"`)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=3600")
	}
	if r.Header.Get("If-None-Match") == `"`+f.hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(f.body)
}
