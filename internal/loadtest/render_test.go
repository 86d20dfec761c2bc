package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	f := newFakeSite(t)
	o := options(t, f, "article=2,comment=1,static=1")
	o.MaxRequests = 300
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	rep.Command = "headline bench --url " + f.URL.String()

	var md bytes.Buffer
	if err := Render(&md, rep, "markdown"); err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(md.String(), "\n") {
		if strings.HasPrefix(line, "| ") {
			if strings.Count(line, "|") != len(columns)+1 {
				t.Errorf("row with the wrong number of cells: %s", line)
			}
			rows++
		}
	}
	if rows != 1+3+1 { // header, scenarios, total
		t.Errorf("%d table rows:\n%s", rows, md.String())
	}
	for _, want := range []string{"| **total** | 300 |", "× static", "Command:** `headline bench", "GOMAXPROCS", "CPUs"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}

	var js bytes.Buffer
	if err := Render(&js, rep, "json"); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Scenarios) != 3 || back.Total.Requests != 300 {
		t.Fatalf("JSON round trip: %v, %+v", err, back.Total)
	}

	var txt bytes.Buffer
	if err := Render(&txt, rep, "text"); err != nil || !strings.Contains(txt.String(), "article") || strings.Contains(txt.String(), "**") {
		t.Errorf("text: %v\n%s", err, txt.String())
	}
	if err := Render(&txt, rep, "yaml"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestFormatting(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%d) = %s", in, got)
		}
	}
	for in, want := range map[float64]string{0.4213: "0.42 ms", 42.13: "42.1 ms", 421.3: "421 ms", 12345: "12.3 s", 0: "–"} {
		if got := millis(in); got != want {
			t.Errorf("millis(%v) = %s", in, got)
		}
	}
}
