package ui_test

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
	"github.com/headline/headline/internal/ui"
)

// BenchmarkMediaRanges compares serving a ~50 MB video through /media/{key}
// (blob store, ServeContent, cache headers) with http.ServeFile of the same
// file in the same run, for the two ways players read: 1 MiB range
// requests all over the file (seeking), and whole-file GETs.
//
//	go test -run '^$' -bench MediaRanges -benchtime 20x ./internal/ui/
//	go test -run '^$' -bench MediaRanges -benchtime 1x ./internal/ui/    # CI smoke
func BenchmarkMediaRanges(b *testing.B) {
	dir := b.TempDir()
	st, err := sqlite.Open(b.Context(), filepath.Join(dir, "headline.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	disk, err := media.NewDisk(filepath.Join(dir, "media"))
	if err != nil {
		b.Fatal(err)
	}
	const size = 50 << 20
	content := make([]byte, size)
	rand.Read(content)
	sum := sha256.Sum256(content)
	key := media.KeyFor(sum[:], "mp4")
	plain := filepath.Join(dir, "plain.mp4")
	if err := os.WriteFile(plain, content, 0o600); err != nil {
		b.Fatal(err)
	}
	tmp := filepath.Join(disk.TempDir(), "in")
	if err := os.WriteFile(tmp, content, 0o600); err != nil {
		b.Fatal(err)
	}
	if err := disk.PutFile(b.Context(), key, tmp); err != nil {
		b.Fatal(err)
	}
	svc := &media.Service{Store: st, Blobs: disk, TempDir: disk.TempDir(), Limits: media.DefaultLimits()}
	h, err := ui.New(ui.Deps{Accounts: accounts.New(st, nil), Posts: publishing.New(st, nil), Comments: discussion.New(st, nil),
		Log: slog.New(slog.DiscardHandler), Media: svc})
	if err != nil {
		b.Fatal(err)
	}
	site := httptest.NewServer(h)
	defer site.Close()
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, plain) }))
	defer files.Close()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	fetch := func(b *testing.B, u, rng string, want int) {
		req, _ := http.NewRequest("GET", u, nil)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			b.Fatalf("GET %s %s: %d", u, rng, res.StatusCode)
		}
		b.SetBytes(n)
	}
	const chunk = 1 << 20
	targets := []struct{ name, url string }{{"media_route", site.URL + "/media/" + key}, {"servefile", files.URL + "/plain.mp4"}}
	for _, tg := range targets {
		b.Run("range_1MiB/"+tg.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				off := (i * 7919 * chunk) % (size - chunk) // spread over the file
				fetch(b, tg.url, fmt.Sprintf("bytes=%d-%d", off, off+chunk-1), http.StatusPartialContent)
			}
		})
	}
	for _, tg := range targets {
		b.Run("whole/"+tg.name, func(b *testing.B) {
			for b.Loop() {
				fetch(b, tg.url, "", http.StatusOK)
			}
		})
	}
}
