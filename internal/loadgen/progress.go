package loadgen

import (
	"fmt"
	"io"
	"time"
)

// Progress shows how far each phase is: count/total, percent, rate and ETA.
// On a terminal it is one line redrawn in place (\r) a few times a second;
// elsewhere (a log file, CI) it prints a plain line when a phase starts,
// every Every, and when it ends.
type Progress struct {
	Every time.Duration // plain mode: time between lines; default 10s

	w   io.Writer
	tty bool
	now func() time.Time

	name         string
	total, from  int
	done         int
	began, drawn time.Time
}

// NewProgress writes progress to w (nil: nowhere); tty selects redrawing.
func NewProgress(w io.Writer, tty bool) *Progress {
	if w == nil {
		w = io.Discard
	}
	return &Progress{Every: 10 * time.Second, w: w, tty: tty, now: time.Now}
}

func (p *Progress) start(name string, done, total int) {
	p.name, p.total, p.from, p.done = name, total, done, done
	p.began = p.now()
	p.drawn = p.began
	if p.tty {
		p.draw(false)
		return
	}
	if done > 0 {
		fmt.Fprintf(p.w, "%s: %s of %s already there, resuming\n", name, num(done), num(total))
	} else {
		fmt.Fprintf(p.w, "%s: writing %s\n", name, num(total))
	}
}

func (p *Progress) update(done int) {
	p.done = done
	gap := p.Every
	if p.tty {
		gap = 200 * time.Millisecond
	}
	if p.now().Sub(p.drawn) >= gap {
		p.draw(false)
	}
}

func (p *Progress) finish() {
	p.draw(true)
}

// draw writes the line: "posts  120,000/1,000,000  12.0%  3,210/s  ETA 4m34s".
func (p *Progress) draw(final bool) {
	now := p.now()
	p.drawn = now
	elapsed := now.Sub(p.began)
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.done-p.from) / elapsed.Seconds()
	}
	pct := 100.0
	if p.total > 0 {
		pct = 100 * float64(p.done) / float64(p.total)
	}
	line := fmt.Sprintf("%-9s %s/%s  %5.1f%%  %s/s", p.name, num(p.done), num(p.total), pct, num(int(rate)))
	switch {
	case final:
		line += "  in " + elapsed.Round(time.Millisecond).String()
	case rate > 0:
		eta := time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
		line += "  ETA " + eta.Round(time.Second).String()
	}
	if !p.tty {
		fmt.Fprintln(p.w, line)
		return
	}
	// Pad to erase the end of a longer previous line.
	fmt.Fprintf(p.w, "\r%-72s", line)
	if final {
		fmt.Fprintln(p.w)
	}
}
