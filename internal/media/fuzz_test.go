package media

import (
	"bytes"
	"io"
	"testing"

	"github.com/headline/headline/internal/media/mediatest"
)

// FuzzUploadParsers feeds arbitrary bytes to everything that reads an
// upload's structure before it is trusted: sniffing, the completeness
// checks, the dimension check and the metadata strippers. None may panic
// or loop; the strippers' output must be no larger than their input plus
// the 38-byte orientation block.
//
//	go test -run '^$' -fuzz FuzzUploadParsers -fuzztime 30s ./internal/media/
func FuzzUploadParsers(f *testing.F) {
	f.Add(mediatest.JPEGWithGPS(16, 8, 6))
	f.Add(mediatest.PNG(4, 4))
	f.Add(mediatest.BombPNG(70000, 70000))
	f.Add([]byte("RIFF\x1a\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("\x00\x00\x00\x10ftypisom\x00\x00\x02\x00\x00\x00\x00\x10moov\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("\x00\x00\x00\x01ftyp\xff\xff\xff\xff\xff\xff\xff\xff"))
	f.Add([]byte("\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\x82\x84webm\x18S\x80g\x01\xff\xff\xff\xff\xff\xff\xff"))
	f.Add([]byte("<svg onload=alert(1)>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bytes.NewReader(b)
		if typ, err := Sniff(b); err == nil {
			_ = checkComplete(r, int64(len(b)), typ)
		}
		_, _, _ = checkImage(bytes.NewReader(b), 50_000_000)
		for name, strip := range map[string]func(io.Reader, io.Writer) error{
			"jpeg": stripJPEG, "png": stripPNG,
			"webp": func(_ io.Reader, w io.Writer) error { return stripWebP(r, int64(len(b)), w) },
		} {
			var out bytes.Buffer
			if err := strip(bytes.NewReader(b), &out); err == nil && out.Len() > len(b)+38 {
				t.Fatalf("%s: %d bytes out of %d", name, out.Len(), len(b))
			}
		}
	})
}
