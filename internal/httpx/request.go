package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/headline/headline/internal/news"
)

// TooLargeError is returned for a body over news.MaxRequestBytes.
var TooLargeError = &news.Error{Code: news.TooLarge, Message: "The request is too large (at most 1 MB)."}

// DecodeJSON reads a JSON object from r's body into v. It refuses bodies
// that are not JSON (415), too large (413), malformed or with unknown
// fields (400), and strings that are not valid UTF-8 (422).
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return news.Errorf(news.Unsupported, "Send the request body as application/json.")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, news.MaxRequestBytes))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return TooLargeError
	}
	if err != nil {
		return &news.Error{Code: BadRequest, Message: "The request body could not be read.", Err: err}
	}
	// encoding/json replaces invalid UTF-8 with U+FFFD silently; we refuse
	// it instead, so that what is stored is what was sent.
	if !utf8.Valid(body) {
		return news.Errorf(news.Invalid, "The request body is not valid UTF-8.")
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &news.Error{Code: BadRequest, Message: fmt.Sprintf("The request body is not valid JSON for this call: %s.", jsonProblem(err)), Err: err}
	}
	if dec.More() {
		return news.Errorf(BadRequest, "The request body has more than one JSON value.")
	}
	return nil
}

func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q must be a %s", te.Field, te.Type.String())
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	return msg
}

// ParseForm parses a form body with the size limit, mapping an over-large
// body to TooLargeError.
func ParseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, news.MaxRequestBytes)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return TooLargeError
		}
		return &news.Error{Code: BadRequest, Message: "The form could not be read.", Err: err}
	}
	return nil
}

// ClientIP returns the remote address of the request without its port.
// Behind a proxy the operator should set the real address upstream; we do
// not trust X-Forwarded-For from arbitrary clients.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type accountKey struct{}

// WithAccount returns a context carrying the signed-in account.
func WithAccount(ctx context.Context, a *news.Account) context.Context {
	return context.WithValue(ctx, accountKey{}, a)
}

// Account returns the signed-in account of the request, or nil.
func Account(ctx context.Context) *news.Account {
	a, _ := ctx.Value(accountKey{}).(*news.Account)
	return a
}
