// Package mediatest makes sample media for tests and benchmarks: images
// encoded in Go (one with GPS EXIF, one declaring absurd dimensions) and
// small videos made by ffmpeg's testsrc.
package mediatest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Secret is text the GPS sample carries in its EXIF; no stored file may
// contain it.
const Secret = "LOCATION-SECRET-55.7558N"

// SecretLatitude is the numerator of the sample's GPS latitude, also
// checked for in stored files.
const SecretLatitude = 0x0ABCDEF1

// Gradient is an opaque test picture.
func Gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / max(w, 1)), uint8(y * 255 / max(h, 1)), 128, 255})
		}
	}
	return img
}

// JPEG encodes an opaque w×h picture.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, Gradient(w, h), &jpeg.Options{Quality: 85}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// PNG encodes an opaque w×h picture.
func PNG(w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, Gradient(w, h)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// JPEGWithGPS is a w×h JPEG whose EXIF holds an orientation, a description
// with Secret and GPS coordinates, as a phone writes them.
func JPEGWithGPS(w, h, orientation int) []byte {
	plain := JPEG(w, h)
	exif := gpsEXIF(orientation)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(exif)+2))
	out := append([]byte{}, plain[:2]...)
	out = append(out, seg...)
	out = append(out, exif...)
	return append(out, plain[2:]...)
}

// gpsEXIF builds "Exif\0\0" and a big-endian TIFF block: IFD0 with
// Orientation, ImageDescription and a GPS IFD pointer; the GPS IFD with
// latitude ref and latitude.
func gpsEXIF(orientation int) []byte {
	be := binary.BigEndian
	var t bytes.Buffer
	t.WriteString("MM\x00\x2a")
	binary.Write(&t, be, uint32(8))
	desc := Secret + "\x00"
	// IFD0 at 8: 3 entries (2 + 36 bytes) + next IFD (4) = 42 → data at 50.
	descOff := uint32(50)
	gpsOff := descOff + uint32(len(desc))
	entry := func(tag, typ uint16, count, value uint32) {
		binary.Write(&t, be, tag)
		binary.Write(&t, be, typ)
		binary.Write(&t, be, count)
		binary.Write(&t, be, value)
	}
	binary.Write(&t, be, uint16(3))
	entry(0x010E, 2, uint32(len(desc)), descOff) // ImageDescription
	entry(0x0112, 3, 1, uint32(orientation)<<16) // Orientation (SHORT, left-justified)
	entry(0x8825, 4, 1, gpsOff)                  // GPS IFD
	binary.Write(&t, be, uint32(0))
	t.WriteString(desc)
	// GPS IFD: 2 entries (2 + 24) + next (4) = 30 → rationals after it.
	ratOff := gpsOff + 30
	binary.Write(&t, be, uint16(2))
	entry(0x0001, 2, 2, uint32('N')<<24) // GPSLatitudeRef "N"
	entry(0x0002, 5, 3, ratOff)          // GPSLatitude
	binary.Write(&t, be, uint32(0))
	for _, v := range []uint32{SecretLatitude, 1000000, 45, 1, 0, 1} {
		binary.Write(&t, be, v)
	}
	return append([]byte("Exif\x00\x00"), t.Bytes()...)
}

// BombPNG is a tiny PNG whose header declares w×h pixels: decoding it would
// allocate w×h×4 bytes.
func BombPNG(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// RequireFFmpeg skips the test when ffmpeg or ffprobe is missing, except in
// CI (CI set), where .ci/run installs them and their absence is a failure.
func RequireFFmpeg(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed; .ci/run should have installed Debian's ffmpeg package", tool)
			}
			t.Skipf("skipping: %s is not installed (apt-get install ffmpeg)", tool)
		}
	}
}

// Video makes a test video with ffmpeg's testsrc and a sine tone: seconds
// long, w×h, in the container of ext (mp4, mov or webm). MP4 and MOV are
// written with the index at the end, as cameras do, so fast start has
// something to do.
func Video(t testing.TB, seconds, w, h int, ext string) string {
	t.Helper()
	return VideoCodec(t, seconds, w, h, ext, "")
}

// VideoCodec is Video with the video codec named (an ffmpeg encoder, such
// as mpeg4 for a file browsers cannot play); "" picks the usual one.
func VideoCodec(t testing.TB, seconds, w, h int, ext, vcodec string) string {
	t.Helper()
	RequireFFmpeg(t)
	out := filepath.Join(t.TempDir(), "sample."+ext)
	args := []string{"-nostdin", "-v", "error", "-y",
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc=duration=%d:size=%dx%d:rate=25", seconds, w, h),
		"-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=440:duration=%d", seconds)}
	switch {
	case vcodec != "":
		args = append(args, "-c:v", vcodec, "-c:a", "aac")
	case ext == "webm":
		args = append(args, "-c:v", "libvpx", "-b:v", "200k", "-c:a", "libopus", "-deadline", "realtime")
	default:
		args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac")
	}
	args = append(args, "-shortest", out)
	if b, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("make sample video: %v\n%s", err, b)
	}
	return out
}

// WebPWithEXIF is a w×h WebP in the extended format (VP8X) whose EXIF
// chunk holds Secret, made from a PNG by ffmpeg's WebP encoder.
func WebPWithEXIF(t testing.TB, w, h int) []byte {
	t.Helper()
	RequireFFmpeg(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.webp")
	if err := os.WriteFile(in, PNG(w, h), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", in, "-c:v", "libwebp", out).CombinedOutput(); err != nil {
		t.Fatalf("make sample webp: %v\n%s", err, b)
	}
	simple, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	chunk := func(fourcc string, data []byte) []byte {
		c := append([]byte(fourcc), le.AppendUint32(nil, uint32(len(data)))...)
		c = append(c, data...)
		if len(data)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 // EXIF present
	vp8x[4], vp8x[5], vp8x[6] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
	vp8x[7], vp8x[8], vp8x[9] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
	body := append([]byte("WEBP"), chunk("VP8X", vp8x)...)
	body = append(body, simple[12:]...) // the VP8 chunk of the simple file
	body = append(body, chunk("EXIF", gpsEXIF(1)[6:])...)
	return append(append([]byte("RIFF"), le.AppendUint32(nil, uint32(len(body)))...), body...)
}
