// Package media holds the rules for uploaded images and videos: what is
// accepted (decided from the bytes, never from a file name or a declared
// type), where the bytes are kept (a content-addressed folder or an S3
// bucket, behind Blobs), and how they are processed (probe, poster, fast
// start, resized variants). It knows nothing of HTTP.
package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	_ "image/gif" // registered for DecodeConfig and variants
	_ "image/jpeg"
	_ "image/png"
	"io"

	_ "golang.org/x/image/webp"

	"github.com/headline/headline/internal/news"
)

// Type is what sniffing found a file to be.
type Type struct {
	Kind news.MediaKind
	MIME string
	Ext  string // the extension of its keys, without the dot
}

var (
	typeJPEG = Type{news.MediaImage, "image/jpeg", "jpg"}
	typePNG  = Type{news.MediaImage, "image/png", "png"}
	typeGIF  = Type{news.MediaImage, "image/gif", "gif"}
	typeWebP = Type{news.MediaImage, "image/webp", "webp"}
	typeMP4  = Type{news.MediaVideo, "video/mp4", "mp4"}
	typeMOV  = Type{news.MediaVideo, "video/quicktime", "mov"}
	typeWebM = Type{news.MediaVideo, "video/webm", "webm"}
)

// mimeByExt is the Content-Type each key extension is served with.
var mimeByExt = map[string]string{
	"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
	"mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm", "vtt": "text/vtt; charset=utf-8",
}

// sniffLen is how many leading bytes Sniff needs to decide.
const sniffLen = 512

// Sniff decides a file's type from its first bytes. Anything but the seven
// accepted formats is Unsupported (415), with a sentence saying what is.
func Sniff(head []byte) (Type, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return typeJPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return typePNG, nil
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return typeGIF, nil
	case len(head) >= 12 && string(head[0:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return typeWebP, nil
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		if string(head[8:12]) == "qt  " {
			return typeMOV, nil
		}
		return typeMP4, nil
	case bytes.HasPrefix(head, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		// EBML: WebM and Matroska share it; the DocType says which.
		if bytes.Contains(head[:min(len(head), 64)], []byte("webm")) {
			return typeWebM, nil
		}
		return Type{}, unsupported("Matroska (.mkv) videos are not accepted; upload MP4 or WebM.")
	}
	if looksLikeSVG(head) {
		return Type{}, unsupported("SVG images are not accepted, because they can carry scripts. Upload a PNG or JPEG instead.")
	}
	return Type{}, unsupported("This file type is not accepted. Upload a JPEG, PNG, WebP or GIF image, or an MP4, WebM or MOV video.")
}

func looksLikeSVG(head []byte) bool {
	h := bytes.ToLower(bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n"))
	return bytes.HasPrefix(h, []byte("<?xml")) || bytes.HasPrefix(h, []byte("<svg")) ||
		bytes.HasPrefix(h, []byte("<!doctype svg")) || bytes.Contains(h, []byte("<svg"))
}

func unsupported(msg string) error {
	return &news.Error{Code: news.Unsupported, Message: msg, Fields: map[string]string{"file": msg}}
}

func invalidFile(msg string) error {
	return &news.Error{Code: news.Invalid, Message: msg, Fields: map[string]string{"file": msg}}
}

// checkImage reads only the header of an image (its dimensions) and refuses
// one whose pixels would take too much memory to decode: a small file can
// declare 100,000 × 100,000 pixels.
func checkImage(r io.Reader, maxPixels int64) (w, h int, err error) {
	cfg, _, err := image.DecodeConfig(r)
	if err != nil {
		return 0, 0, invalidFile("The image is damaged or incomplete and cannot be read.")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0, invalidFile("The image has no pixels.")
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return 0, 0, invalidFile(fmt.Sprintf("The image is %d × %d pixels; at most %d megapixels are accepted.",
			cfg.Width, cfg.Height, maxPixels/1_000_000))
	}
	return cfg.Width, cfg.Height, nil
}

// checkComplete looks at a file's structure for signs that it was cut
// short: a container whose boxes run past its end, an image without its
// end marker. It reads headers only (ReadAt), never the whole file; the
// full decode in processing catches the rest.
func checkComplete(f io.ReaderAt, size int64, t Type) error {
	truncated := invalidFile("The file is incomplete (cut short); upload it again.")
	tail := func(n int64) []byte {
		n = min(n, size)
		b := make([]byte, n)
		if _, err := f.ReadAt(b, size-n); err != nil && err != io.EOF {
			return nil
		}
		return b
	}
	switch t {
	case typeJPEG:
		if !bytes.Contains(tail(4096), []byte{0xFF, 0xD9}) {
			return truncated
		}
	case typePNG:
		if !bytes.Contains(tail(64), []byte("IEND")) {
			return truncated
		}
	case typeGIF:
		if b := tail(1); len(b) != 1 || b[0] != 0x3B {
			return truncated
		}
	case typeWebP:
		var hdr [8]byte
		if _, err := f.ReadAt(hdr[:], 0); err != nil || int64(binary.LittleEndian.Uint32(hdr[4:]))+8 > size {
			return truncated
		}
	case typeMP4, typeMOV:
		return checkBoxes(f, size, truncated)
	case typeWebM:
		return checkEBML(f, size, truncated)
	}
	return nil
}

// checkBoxes walks the top-level ISO BMFF boxes: each must end within the
// file, and a playable file has a moov box.
func checkBoxes(f io.ReaderAt, size int64, truncated error) error {
	var off int64
	moov := false
	for off < size {
		var hdr [16]byte
		if n, _ := f.ReadAt(hdr[:], off); n < 8 {
			return truncated
		}
		boxLen := int64(binary.BigEndian.Uint32(hdr[0:4]))
		switch boxLen {
		case 0: // the box runs to the end of the file
			boxLen = size - off
		case 1:
			boxLen = int64(binary.BigEndian.Uint64(hdr[8:16]))
		}
		if boxLen < 8 || off+boxLen > size {
			return truncated
		}
		if string(hdr[4:8]) == "moov" {
			moov = true
		}
		off += boxLen
	}
	if !moov {
		return truncated
	}
	return nil
}

// checkEBML checks that a WebM's Segment, when its size is declared (live
// recordings leave it unknown), ends within the file.
func checkEBML(f io.ReaderAt, size int64, truncated error) error {
	b := make([]byte, min(size, 4096))
	if _, err := f.ReadAt(b, 0); err != nil && err != io.EOF {
		return truncated
	}
	// The EBML header: id (4 bytes), then a size vint.
	hl, hsize, ok := vint(b[4:])
	if !ok || hsize > uint64(len(b)) {
		return truncated
	}
	seg := 4 + hl + int(hsize)
	if seg+4 > len(b) || !bytes.Equal(b[seg:seg+4], []byte{0x18, 0x53, 0x80, 0x67}) {
		return truncated
	}
	sl, ssize, ok := vint(b[seg+4:])
	if !ok {
		return truncated
	}
	unknown := ssize == (1<<(7*sl))-1
	if !unknown && (ssize > uint64(size) || int64(seg+4+sl)+int64(ssize) > size) {
		return truncated
	}
	return nil
}

// vint reads an EBML variable-length integer: its length and value.
func vint(b []byte) (int, uint64, bool) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0, false
	}
	n := 1
	for mask := byte(0x80); b[0]&mask == 0; mask >>= 1 {
		n++
	}
	if len(b) < n {
		return 0, 0, false
	}
	v := uint64(b[0] & (0xFF >> n))
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	return n, v, true
}
