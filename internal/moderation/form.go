package moderation

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/headline/headline/internal/news"
)

// Form is what the guest comment form sends besides the comment: the
// honeypot field (hidden from people by CSS, so only robots fill it) and
// the signed time the form was shown.
type Form struct {
	Honeypot string
	Token    string
}

// formKeyName names the HMAC key in the settings table: kept in the
// database so that every instance signs and checks with the same key.
const formKeyName = "guest_form_key"

// maxFormAge is how long a shown form may be sent.
const maxFormAge = 24 * time.Hour

func (s *Service) key(ctx context.Context) ([]byte, error) {
	s.keyOnce.Lock()
	defer s.keyOnce.Unlock()
	if s.formKey != nil {
		return s.formKey, nil
	}
	v, err := s.store.SiteSecret(ctx, formKeyName, func() string {
		b := make([]byte, 32)
		rand.Read(b)
		return base64.RawURLEncoding.EncodeToString(b)
	})
	if err != nil {
		return nil, err
	}
	s.formKey = []byte(v)
	return s.formKey, nil
}

// FormToken signs the moment a guest form for post postID is shown.
func (s *Service) FormToken(ctx context.Context, postID int64) (string, error) {
	k, err := s.key(ctx)
	if err != nil {
		return "", err
	}
	ms := strconv.FormatInt(s.now().UnixMilli(), 36)
	return ms + "." + sign(k, postID, ms), nil
}

func sign(key []byte, postID int64, ms string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("comment-form\x00" + strconv.FormatInt(postID, 10) + "\x00" + ms))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// errFormToken is a form whose token is missing, changed or too old: sent
// back to the person to send again, with everything typed kept.
var errFormToken = &news.Error{Code: news.Invalid,
	Message: "This form is too old or was changed. Please check your comment and send it again.",
	Fields:  map[string]string{"form": "Send the form again."}}

// checkForm verifies the token and returns how long the form was open and
// whether the honeypot was filled.
func (s *Service) checkForm(ctx context.Context, f *Form, postID int64) (time.Duration, bool, error) {
	k, err := s.key(ctx)
	if err != nil {
		return 0, false, err
	}
	ms, sig, ok := strings.Cut(f.Token, ".")
	shown, perr := strconv.ParseInt(ms, 36, 64)
	if !ok || perr != nil || !hmac.Equal([]byte(sig), []byte(sign(k, postID, ms))) {
		return 0, false, errFormToken
	}
	fill := s.now().Sub(time.UnixMilli(shown))
	if fill > maxFormAge || fill < -time.Minute {
		return 0, false, errFormToken
	}
	if fill <= 0 {
		fill = time.Millisecond // clocks of two instances a little apart
	}
	return fill, strings.TrimSpace(f.Honeypot) != "", nil
}
