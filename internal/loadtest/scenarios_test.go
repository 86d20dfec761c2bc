package loadtest

import (
	"strings"
	"testing"
)

func TestParseMix(t *testing.T) {
	mix, err := ParseMix("article=4, comment ,static=1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range mix {
		got = append(got, m.Scenario.Name+"="+string(rune('0'+m.Weight)))
	}
	if strings.Join(got, ",") != "article=4,comment=1,static=1" {
		t.Errorf("got %v", got)
	}
	for _, bad := range []string{"", "nope=1", "article=0", "article=-2", "article=x", "article=1,article=2", "article=1001"} {
		if _, err := ParseMix(bad); err == nil {
			t.Errorf("ParseMix(%q) accepted", bad)
		}
	}
}

func TestPresets(t *testing.T) {
	for _, name := range Names() {
		mix, err := Preset(name)
		if err != nil || len(mix) == 0 {
			t.Errorf("Preset(%q) = %v, %v", name, mix, err)
		}
	}
	for _, name := range []string{"read", "mixed", "write"} {
		mix, _ := Preset(name)
		if mix[len(mix)-1].Scenario.Name != StaticName {
			t.Errorf("preset %s lacks the static baseline", name)
		}
	}
	if _, err := Preset("bookmarks"); err == nil {
		t.Error("a scenario the product does not have was accepted")
	}
	for _, name := range []string{"timeline", "like", "follow", "social"} {
		mix, _ := Preset(name)
		if needsToken(mix) == "" {
			t.Errorf("%s runs without a token", name)
		}
	}
	if mix, _ := Preset("headlines"); needsToken(mix) != "" {
		t.Error("headlines needs a token; guests read it too")
	}
	if d := Describe(); strings.Count(d, "\n") != len(scenarios) {
		t.Errorf("Describe:\n%s", d)
	}
}
