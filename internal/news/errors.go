package news

import (
	"errors"
	"fmt"
)

// Code is one of the small closed set of error kinds the product knows. The
// HTTP surfaces map each code to a status in exactly one table (httpx).
type Code string

const (
	Invalid      Code = "invalid"           // the input breaks a rule; Fields says which
	NotFound     Code = "not_found"         // no such thing, or not visible to the caller
	Conflict     Code = "conflict"          // the thing exists already (a taken handle)
	Unauthorized Code = "unauthorized"      // not signed in, or bad credentials
	Forbidden    Code = "forbidden"         // signed in, but not allowed
	TooLarge     Code = "too_large"         // a body or file over its limit
	Unsupported  Code = "unsupported"       // a content type we do not take
	TooMany      Code = "too_many_requests" // rate limited
	Unavailable  Code = "unavailable"       // a dependency is down; try again
	Internal     Code = "internal"          // a fault of ours
)

// Error is the product's error. Message is a full sentence a person may read;
// Fields holds per-field messages for forms and the JSON "fields" object;
// Err is the wrapped cause for operators and is never shown to users.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a user-facing message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, Internal for errors that are not ours,
// and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorMessage returns the user-facing message of err. Faults that are not
// ours get a generic sentence, so internals never leak to a reader.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}

// ErrorFields returns the per-field messages of err, or nil.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects per-field validation messages; Err turns them into one
// Invalid error, or nil when there are none.
type Problems map[string]string

// Add records msg for field unless the field already has a message: the
// first problem found is usually the most basic one.
func (p Problems) Add(field, msg string) {
	if _, ok := p[field]; !ok {
		p[field] = msg
	}
}

// Err returns nil when p is empty, else an Invalid *Error carrying p.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	msg := "Please correct the marked field."
	if len(p) > 1 {
		msg = "Please correct the marked fields."
	}
	return &Error{Code: Invalid, Message: msg, Fields: p}
}
