// Package httpx holds what the HTML and JSON surfaces share: the one table
// from error codes to HTTP statuses, JSON encoding and decoding, the signed-in
// account in the request context, and middleware (request ids, logging,
// security headers, cross-origin protection).
package httpx

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/headline/headline/internal/news"
)

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[news.Code]int{
	news.Invalid:      http.StatusUnprocessableEntity,
	news.NotFound:     http.StatusNotFound,
	news.Conflict:     http.StatusConflict,
	news.Unauthorized: http.StatusUnauthorized,
	news.Forbidden:    http.StatusForbidden,
	news.TooLarge:     http.StatusRequestEntityTooLarge,
	news.Unsupported:  http.StatusUnsupportedMediaType,
	news.TooMany:      http.StatusTooManyRequests,
	news.Unavailable:  http.StatusServiceUnavailable,
	news.Internal:     http.StatusInternalServerError,
}

// BadRequest is the code for a request that cannot be read at all
// (malformed JSON, a wrong type); it maps to 400 rather than 422.
const BadRequest news.Code = "bad_request"

// Status returns the HTTP status for err.
func Status(err error) int {
	if news.ErrorCode(err) == BadRequest {
		return http.StatusBadRequest
	}
	if s, ok := statusOf[news.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// LogIfFault logs err when it is a fault of ours (a 5xx), with the request.
func LogIfFault(r *http.Request, err error) {
	if Status(err) >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "request_id", RequestID(r.Context()), "err", err)
	}
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of ErrorBody.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// WriteError writes err as a JSON error with its status.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	LogIfFault(r, err)
	code := news.ErrorCode(err)
	var e *news.Error
	if !errors.As(err, &e) {
		code = news.Internal
	}
	status := Status(err)
	SetRetryAfter(w, err)
	if Status(err) == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		// The database is away; a restart takes seconds.
		w.Header().Set("Retry-After", "5")
	}
	WriteJSON(w, status, ErrorBody{Error: ErrorDetail{Code: string(code), Message: news.ErrorMessage(err), Fields: news.ErrorFields(err)}})
}

// SetRetryAfter sets the Retry-After header of a rate-limit error: the
// seconds its news.RetryAfter cause says, or 60 without one.
func SetRetryAfter(w http.ResponseWriter, err error) {
	if Status(err) != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "" {
		return
	}
	secs := 60
	if wait, ok := news.RetryAfterOf(err); ok {
		secs = max(1, int((wait+time.Second-1)/time.Second))
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
}

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}
