package httpx

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/headline/headline/internal/news"
)

// uploadTime bounds one upload: a 2 GB video over a slow uplink takes far
// longer than the server's ordinary timeouts, which are there against
// slow-loris clients on small bodies.
const uploadTime = 2 * time.Hour

// startUpload lifts the connection's deadlines for a long upload, bounds
// the body to limit plus room for the small fields, and returns its
// multipart reader.
func startUpload(w http.ResponseWriter, r *http.Request, limit int64) (*multipart.Reader, error) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(uploadTime))
	_ = rc.SetWriteDeadline(time.Now().Add(uploadTime + time.Minute))
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, news.Errorf(BadRequest, "Send the file as multipart/form-data in a part named file.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+news.MaxRequestBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, news.Errorf(BadRequest, "Send the file as multipart/form-data in a part named file.")
	}
	return mr, nil
}

// FilePart returns the reader of the multipart part named "file", which the
// caller streams: nothing of it is held in memory or written here. Parts
// before it are skipped.
func FilePart(w http.ResponseWriter, r *http.Request, limit int64) (*multipart.Part, error) {
	mr, err := startUpload(w, r, limit)
	if err != nil {
		return nil, err
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil, UploadError(&news.Error{Code: news.Invalid, Message: "The request has no file: send it in a part named file.",
				Fields: map[string]string{"file": "required"}, Err: err})
		}
		if p.FormName() == "file" {
			return p, nil
		}
	}
}

// StreamForm reads a multipart form into r.PostForm, handing a non-empty
// "file" part to onFile as it arrives (streamed, never buffered whole).
// The other fields together may be at most news.MaxRequestBytes. When
// onFile fails, the fields after the file are still read (so a form can be
// shown again with what was typed) and onFile's error is returned.
func StreamForm(w http.ResponseWriter, r *http.Request, limit int64, onFile func(io.Reader) error) error {
	mr, err := startUpload(w, r, limit)
	if err != nil {
		return err
	}
	r.PostForm = map[string][]string{}
	room := int64(news.MaxRequestBytes)
	var fileErr error
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return fileErr
		}
		if err != nil {
			return UploadError(&news.Error{Code: BadRequest, Message: "The form could not be read.", Err: err})
		}
		if p.FormName() == "file" {
			if p.FileName() == "" {
				continue // the file input left empty
			}
			if err := onFile(p); err != nil && fileErr == nil {
				fileErr = UploadError(err)
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, room+1))
		if err != nil {
			return UploadError(&news.Error{Code: BadRequest, Message: "The form could not be read.", Err: err})
		}
		if room -= int64(len(b)); room < 0 {
			return TooLargeError
		}
		r.PostForm.Add(p.FormName(), string(b))
	}
}

// UploadError turns a body found over its limit while reading into 413.
func UploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &news.Error{Code: news.TooLarge, Message: "The file is too large.", Fields: map[string]string{"file": "too large"}, Err: err}
	}
	return err
}
