package media

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
)

// Metadata stripping. Phones write where a photo was taken into its EXIF
// (GPS tags); a newsroom publishing a source's photo must not publish that.
// The resized variants are re-encoded and carry no metadata at all; the
// original is served too, so at upload its metadata is dropped without
// re-encoding the pixels: every EXIF, XMP, IPTC and comment segment of a
// JPEG, the eXIf and text chunks of a PNG, the EXIF and XMP chunks of a
// WebP. The one piece worth keeping
// is the EXIF orientation (which way is up): a JPEG gets back a minimal
// EXIF block that holds only that tag.

var errStructure = errors.New("malformed image structure")

// stripJPEG copies a JPEG from r to w without metadata segments, keeping
// the orientation.
func stripJPEG(r io.Reader, w io.Writer) error {
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriterSize(w, 64<<10)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return errStructure
	}
	bw.Write(soi[:])
	orientation := 0
	wroteOrientation := false
	for {
		var m [2]byte
		if _, err := io.ReadFull(br, m[:]); err != nil || m[0] != 0xFF {
			return errStructure
		}
		for m[1] == 0xFF { // fill bytes before a marker
			b, err := br.ReadByte()
			if err != nil {
				return errStructure
			}
			m[1] = b
		}
		if m[1] == 0xDA || m[1] == 0xD9 { // start of scan: the rest is image data
			if !wroteOrientation && orientation > 1 {
				bw.Write(orientationEXIF(orientation))
			}
			bw.Write(m[:])
			if _, err := io.Copy(bw, br); err != nil {
				return err
			}
			return bw.Flush()
		}
		var l [2]byte
		if _, err := io.ReadFull(br, l[:]); err != nil {
			return errStructure
		}
		n := int(binary.BigEndian.Uint16(l[:])) - 2
		if n < 0 {
			return errStructure
		}
		seg := make([]byte, n)
		if _, err := io.ReadFull(br, seg); err != nil {
			return errStructure
		}
		if m[1] == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			orientation = exifOrientation(seg[6:])
		}
		if dropSegment(m[1], seg) {
			continue
		}
		// The orientation block goes after JFIF/ICC segments, before tables.
		if m[1] < 0xE0 && !wroteOrientation && orientation > 1 {
			bw.Write(orientationEXIF(orientation))
			wroteOrientation = true
		}
		bw.Write(m[:])
		bw.Write(l[:])
		bw.Write(seg)
	}
}

// dropSegment says which JPEG segments are metadata: APP1 (EXIF, XMP),
// APP13 (IPTC), other application segments except JFIF (APP0), ICC colour
// profiles (APP2 "ICC_PROFILE") and Adobe colour info (APP14), and comments.
func dropSegment(marker byte, seg []byte) bool {
	switch {
	case marker == 0xFE:
		return true
	case marker == 0xE0, marker == 0xEE:
		return false
	case marker == 0xE2:
		return !bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00"))
	case marker >= 0xE1 && marker <= 0xEF:
		return true
	}
	return false
}

// exifOrientation reads tag 0x0112 from IFD0 of a TIFF block; 0 if absent.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int(bo.Uint32(tiff[4:8]))
	if off+2 > len(tiff) || off < 8 {
		return 0
	}
	n := int(bo.Uint16(tiff[off:]))
	for i := 0; i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > len(tiff) {
			return 0
		}
		if bo.Uint16(tiff[e:]) == 0x0112 {
			if v := int(bo.Uint16(tiff[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 0
		}
	}
	return 0
}

// orientationEXIF is an APP1 segment whose EXIF holds only the orientation.
func orientationEXIF(o int) []byte {
	b := []byte{0xFF, 0xE1, 0, 34}
	b = append(b, "Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08"...)
	b = append(b, 0, 1)                         // one entry
	b = append(b, 0x01, 0x12, 0, 3, 0, 0, 0, 1) // orientation, SHORT, count 1
	b = append(b, byte(o>>8), byte(o), 0, 0)
	b = append(b, 0, 0, 0, 0) // no next IFD
	return b
}

// stripPNG copies a PNG without its eXIf and text chunks.
func stripPNG(r io.Reader, w io.Writer) error {
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriterSize(w, 64<<10)
	sig := make([]byte, 8)
	if _, err := io.ReadFull(br, sig); err != nil {
		return errStructure
	}
	bw.Write(sig)
	for {
		var hdr [8]byte
		if _, err := io.ReadFull(br, hdr[:]); err == io.EOF {
			return bw.Flush()
		} else if err != nil {
			return errStructure
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4])) + 4 // data and CRC
		switch string(hdr[4:8]) {
		case "eXIf", "tEXt", "zTXt", "iTXt":
			if _, err := io.CopyN(io.Discard, br, n); err != nil {
				return errStructure
			}
			continue
		}
		bw.Write(hdr[:])
		if _, err := io.CopyN(bw, br, n); err != nil {
			return errStructure
		}
		if string(hdr[4:8]) == "IEND" {
			return bw.Flush()
		}
	}
}

// stripWebP copies a WebP without its EXIF and XMP chunks, clearing their
// flags in the VP8X header and fixing the RIFF size. It walks the chunk
// headers first (ReadAt), so the file is never read into memory whole.
func stripWebP(f io.ReaderAt, size int64, w io.Writer) error {
	type chunk struct {
		off, n int64 // header offset; header + data + padding
		fourcc string
	}
	var keep []chunk
	total := int64(4) // "WEBP"
	for off := int64(12); off < size; {
		var hdr [8]byte
		if _, err := f.ReadAt(hdr[:], off); err != nil {
			return errStructure
		}
		n := int64(binary.LittleEndian.Uint32(hdr[4:]))
		n = 8 + n + n%2
		if off+n > size {
			return errStructure
		}
		if c := string(hdr[:4]); c != "EXIF" && c != "XMP " {
			keep = append(keep, chunk{off, n, c})
			total += n
		}
		off += n
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var hdr [12]byte
	copy(hdr[:], "RIFF")
	binary.LittleEndian.PutUint32(hdr[4:], uint32(total))
	copy(hdr[8:], "WEBP")
	bw.Write(hdr[:])
	for _, c := range keep {
		if c.fourcc == "VP8X" && c.n >= 9 {
			var head [9]byte
			if _, err := f.ReadAt(head[:], c.off); err != nil {
				return errStructure
			}
			head[8] &^= 0x08 | 0x04 // the EXIF and XMP flags
			bw.Write(head[:])
			if _, err := io.Copy(bw, io.NewSectionReader(f, c.off+9, c.n-9)); err != nil {
				return err
			}
			continue
		}
		if _, err := io.Copy(bw, io.NewSectionReader(f, c.off, c.n)); err != nil {
			return err
		}
	}
	return bw.Flush()
}
