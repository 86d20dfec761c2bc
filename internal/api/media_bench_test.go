package api

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/discussion"
	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/publishing"
	"github.com/headline/headline/internal/sqlite"
)

// BenchmarkUploadVideo uploads one large MP4 (200 MiB by default;
// HEADLINE_BENCH_UPLOAD_MB sets it) per iteration through POST
// /api/v1/media on a real HTTP server, the client streaming it from a file,
// and reports the growth of the process's peak resident memory (VmHWM,
// reset through /proc/self/clear_refs before each upload): client and
// server together, so an upload held in memory anywhere shows.
//
//	go test -run '^$' -bench UploadVideo -benchtime 3x ./internal/api/
//	HEADLINE_BENCH_UPLOAD_MB=8 go test -run '^$' -bench UploadVideo -benchtime 1x ./internal/api/    # CI smoke
func BenchmarkUploadVideo(b *testing.B) {
	mb := 200
	if v, err := strconv.Atoi(os.Getenv("HEADLINE_BENCH_UPLOAD_MB")); err == nil && v > 0 {
		mb = v
	}
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
	acc := accounts.New(st, nil)
	if _, err := acc.Create(b.Context(), accounts.NewAccount{Handle: "pub", Name: "Pub", Password: "correct horse battery", Role: news.RolePublisher}); err != nil {
		b.Fatal(err)
	}
	token, err := acc.CreateToken(b.Context(), "pub", "bench")
	if err != nil {
		b.Fatal(err)
	}
	limits := media.DefaultLimits()
	svc := &media.Service{Store: st, Blobs: disk, TempDir: disk.TempDir(), Limits: limits, Queue: nopQueue{}}
	srv := httptest.NewServer(New(Deps{Accounts: acc, Posts: publishing.New(st, nil), Comments: discussion.New(st, nil),
		Log: slog.New(slog.DiscardHandler), Media: svc}))
	defer srv.Close()

	video := filepath.Join(dir, "big.mp4")
	writeBigMP4(b, video, int64(mb)<<20)
	var worst int64
	for i := 0; b.Loop(); i++ {
		// Each upload different bytes, so none is deduplicated away.
		patchMP4(b, video, uint32(i))
		runtime.GC()
		base := resetPeakRSS(b)
		status := uploadStream(b, srv.URL+"/api/v1/media", token, video)
		if status != http.StatusCreated {
			b.Fatalf("upload: status %d", status)
		}
		worst = max(worst, vmKB(b, "VmHWM")-base)
	}
	b.SetBytes(int64(mb) << 20)
	b.ReportMetric(float64(worst)/1024, "peak-RSS-growth-MB")
}

// writeBigMP4 writes an MP4 that passes the upload checks: ftyp, a small
// moov and one mdat box filling the rest.
func writeBigMP4(b *testing.B, path string, size int64) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("\x00\x00\x00\x10ftypisom\x00\x00\x02\x00")
	w.WriteString("\x00\x00\x00\x10moov\x00\x00\x00\x00\x00\x00\x00\x00")
	mdat := size - 32
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(mdat))
	copy(hdr[4:], "mdat")
	w.Write(hdr[:])
	chunk := make([]byte, 1<<20)
	for left := mdat - 8; left > 0; left -= int64(len(chunk)) {
		w.Write(chunk[:min(int64(len(chunk)), left)])
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

func patchMP4(b *testing.B, path string, n uint32) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	var v [4]byte
	binary.BigEndian.PutUint32(v[:], n)
	if _, err := f.WriteAt(v[:], 100); err != nil {
		b.Fatal(err)
	}
	f.Close()
}

// uploadStream sends the file as multipart without reading it into memory.
func uploadStream(b *testing.B, u, token, path string) int {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("file", "big.mp4")
		if err == nil {
			_, err = io.Copy(fw, f)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequestWithContext(context.Background(), "POST", u, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// resetPeakRSS sets VmHWM back to the current RSS and returns it (KB).
func resetPeakRSS(b *testing.B) int64 {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak RSS here (%v); this benchmark needs Linux", err)
	}
	return vmKB(b, "VmRSS")
}

// vmKB reads a kB field of /proc/self/status.
func vmKB(b *testing.B, field string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}
