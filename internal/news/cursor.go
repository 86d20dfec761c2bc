package news

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// EncodeCursor packs keyset positions into an opaque string for clients.
func EncodeCursor(vals ...int64) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = strconv.FormatInt(v, 36)
	}
	return base64.RawURLEncoding.EncodeToString([]byte("c1." + strings.Join(parts, ".")))
}

// DecodeCursor unpacks a cursor made by EncodeCursor with n values. Any
// tampering that breaks the form is an Invalid error naming the field
// "cursor"; a well-formed cursor only ever selects what the caller may see
// anyway, so it needs no signature.
func DecodeCursor(s string, n int) ([]int64, error) {
	bad := &Error{Code: Invalid, Message: "The cursor is not valid; start again from the first page.", Fields: map[string]string{"cursor": "not a cursor this server made"}}
	if len(s) > 200 {
		return nil, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(raw), "c1.") {
		return nil, bad
	}
	parts := strings.Split(string(raw)[3:], ".")
	if len(parts) != n {
		return nil, bad
	}
	out := make([]int64, n)
	for i, p := range parts {
		v, err := strconv.ParseInt(p, 36, 64)
		if err != nil || v < 0 {
			return nil, bad
		}
		out[i] = v
	}
	return out, nil
}
