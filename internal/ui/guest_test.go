package ui

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestGuestID(t *testing.T) {
	s := &server{}
	r := httptest.NewRequest("POST", "/", nil)
	w := httptest.NewRecorder()
	if id := s.guestID(w, r, false); id != "" {
		t.Fatalf("guestID without a cookie and without create = %q", id)
	}
	id := s.guestID(w, r, true)
	if !guestIDRe.MatchString(id) {
		t.Fatalf("new guest id %q has the wrong form", id)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Value != id || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteLaxMode {
		t.Fatalf("cookie set: %+v", cookies)
	}
	if again := s.guestID(w, r, true); again != id {
		t.Fatalf("second call in the same request gave %q, want %q", again, id)
	}
	r2 := httptest.NewRequest("POST", "/", nil)
	r2.AddCookie(&http.Cookie{Name: guestCookie, Value: "<script>"})
	if got := s.guestID(httptest.NewRecorder(), r2, false); got != "" {
		t.Fatalf("malformed cookie accepted: %q", got)
	}
}
