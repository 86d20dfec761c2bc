package sitecopy

import (
	"fmt"
	"io"
	"time"
)

// progress reports one table at a time: rows in the target out of the
// source's, and the rate of this run. On a terminal (live) it redraws one
// line at most ten times a second; elsewhere (a log file, CI) it writes a
// line every few seconds and one when the table is done, so the log stays
// short.
type progress struct {
	w     io.Writer // nil: no report
	live  bool
	every time.Duration

	table       string
	done, total int64 // rows in the target, rows in the source
	copied      int64 // rows this run
	start, last time.Time
}

func newProgress(w io.Writer, live bool) *progress {
	every := 5 * time.Second
	if live {
		every = 100 * time.Millisecond
	}
	return &progress{w: w, live: live, every: every}
}

func (p *progress) begin(table string, done, total int64) {
	p.table, p.done, p.total, p.copied = table, done, total, 0
	p.start, p.last = time.Now(), time.Now()
	if p.live {
		p.print()
	}
}

func (p *progress) add(n int64) {
	p.done += n
	p.copied += n
	if time.Since(p.last) >= p.every {
		p.print()
	}
}

func (p *progress) end() {
	p.print()
	if p.w != nil && p.live {
		fmt.Fprintln(p.w)
	}
}

func (p *progress) print() {
	if p.w == nil {
		return
	}
	p.last = time.Now()
	rate := 0.0
	if s := time.Since(p.start).Seconds(); s > 0 {
		rate = float64(p.copied) / s
	}
	line := fmt.Sprintf("%-10s %9d / %-9d rows  %8.0f rows/s", p.table, p.done, p.total, rate)
	if p.live {
		fmt.Fprint(p.w, "\r"+line+"\033[K") // \033[K clears what a longer line left
		return
	}
	fmt.Fprintln(p.w, line)
}

// WriteSummary writes one line per table and the time the copy took.
func (r *Result) WriteSummary(w io.Writer) {
	fmt.Fprintf(w, "%-10s %10s %10s %10s\n", "table", "source", "target", "copied")
	for _, t := range r.Tables {
		fmt.Fprintf(w, "%-10s %10d %10d %10d\n", t.Name, t.Source, t.Target, t.Copied)
	}
	fmt.Fprintf(w, "Rows and counter totals match. Took %s.\n", r.Elapsed.Round(time.Millisecond))
}
