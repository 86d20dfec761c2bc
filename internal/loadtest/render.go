package loadtest

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Formats accepted by Render.
var Formats = []string{"markdown", "json", "text"}

// Render writes the report as Markdown (to paste into BENCHMARKS.md), JSON
// (for machines) or aligned text.
func Render(w io.Writer, rep *Report, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "markdown":
		return renderMarkdown(w, rep)
	case "text":
		return renderText(w, rep)
	}
	return fmt.Errorf("--format %q: want %s", format, strings.Join(Formats, ", "))
}

var columns = []string{"scenario", "requests", "errors", "req/s", "p50", "p90", "p99", "max", "size", "× static"}

// row formats one line of the table.
func row(sr ScenarioResult) []string {
	vs := "–"
	if sr.VsStatic != nil {
		vs = fmt.Sprintf("%.2f", *sr.VsStatic)
	}
	l := sr.Latency
	return []string{sr.Name, thousands(sr.Requests), thousands(sr.Errors), rate(sr.PerSecond),
		millis(l.P50), millis(l.P90), millis(l.P99), millis(l.Max), size(sr.BytesPerReq), vs}
}

func renderMarkdown(w io.Writer, rep *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Headline bench: `%s`, %s, %d %s\n\n", rep.MixName, modeTitle(rep.Mode), rep.Concurrency, plural(rep.Concurrency, "client", "clients"))
	b.WriteString("| " + strings.Join(columns, " | ") + " |\n|---|")
	b.WriteString(strings.Repeat("--:|", len(columns)-1) + "\n")
	for _, sr := range rep.Scenarios {
		b.WriteString("| " + strings.Join(row(sr), " | ") + " |\n")
	}
	t := row(rep.Total)
	t[0] = "**total**"
	b.WriteString("| " + strings.Join(t, " | ") + " |\n\n")
	for _, line := range notes(rep) {
		b.WriteString("- " + line + "\n")
	}
	b.WriteString("\nScenarios:\n")
	for _, sr := range rep.Scenarios {
		weight := ""
		if rep.Mode == ModeMix {
			weight = fmt.Sprintf(" (weight %d)", sr.Weight)
		}
		fmt.Fprintf(&b, "- `%s`%s: %s\n", sr.Name, weight, sr.About)
	}
	writeErrors(&b, rep, "`")
	_, err := io.WriteString(w, b.String())
	return err
}

func renderText(w io.Writer, rep *Report) error {
	fmt.Fprintf(w, "Headline bench: %s, %s, %d %s\n\n", rep.MixName, modeTitle(rep.Mode), rep.Concurrency, plural(rep.Concurrency, "client", "clients"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(columns, "\t")+"\t")
	for _, sr := range rep.Scenarios {
		fmt.Fprintln(tw, strings.Join(row(sr), "\t")+"\t")
	}
	fmt.Fprintln(tw, strings.Join(row(rep.Total), "\t")+"\t")
	if err := tw.Flush(); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("\n")
	for _, line := range notes(rep) {
		b.WriteString("* " + strings.ReplaceAll(strings.ReplaceAll(line, "**", ""), "`", "") + "\n")
	}
	writeErrors(&b, rep, "")
	_, err := io.WriteString(w, b.String())
	return err
}

// notes are the context a figure needs to be compared with another.
func notes(rep *Report) []string {
	var out []string
	if rep.Command != "" {
		out = append(out, "**Command:** `"+rep.Command+"`")
	}
	load := fmt.Sprintf("%d concurrent %s over keep-alive connections", rep.Concurrency, plural(rep.Concurrency, "client", "clients"))
	if rep.Concurrency == 1 {
		load = "one client, one request at a time, over a keep-alive connection"
	}
	stop := "ended by " + rep.StoppedBy
	if rep.Interrupted {
		stop = "**interrupted (Ctrl-C): partial figures**"
	}
	out = append(out, fmt.Sprintf("**Run:** %s; %s; %s; %s warm-up not counted; measured %.1f s of %s planned, or at most %s requests (%s).",
		rep.Date.Format("2006-01-02 15:04 UTC"), load, modeNote(rep.Mode), secs(rep.WarmupS), rep.ElapsedS, secs(rep.DurationS), thousands(rep.MaxRequests), stop))
	out = append(out, "**Server:** "+serverNote(rep))
	out = append(out, fmt.Sprintf("**Machine:** %s, %d CPUs, GOMAXPROCS %d, %s %s (the bench binary).",
		rep.Machine.CPU, rep.Machine.NumCPU, rep.Machine.GOMAXPROCS, rep.Machine.GoVersion, rep.Machine.OS))
	out = append(out, "**CPU:** "+cpuNote(rep))
	out = append(out, "**× static:** "+VsStaticMeaning(rep.Mode)+".")
	site := fmt.Sprintf("**Site:** %s posts found", thousands(int64(rep.Posts)))
	if rep.ThreadComments > 0 {
		site += fmt.Sprintf("; the biggest thread had %s comments at the start", thousands(rep.ThreadComments))
	}
	out = append(out, site+". Latencies are of successful requests (log-linear histogram, within 0.1%); errors are answers outside 2xx/3xx and transport failures; size is bytes received per request.")
	return out
}

func serverNote(rep *Report) string {
	s := rep.Server
	if s.PID == 0 {
		return "peak RSS n/a (pass --pid, or start the server with --serve-data)."
	}
	rss := "n/a"
	if s.PeakRSSBytes != nil {
		rss = fmt.Sprintf("%.1f MiB", float64(*s.PeakRSSBytes)/(1<<20))
	}
	return fmt.Sprintf("PID %d; peak RSS %s (VmHWM, since the server started).", s.PID, rss)
}

// cpuNote says who used the CPUs while the figures were taken: the bench
// shares the machine with the server, and anything else running skews both.
func cpuNote(rep *Report) string {
	pct := func(v *float64) string {
		if v == nil {
			return "n/a"
		}
		return percent(*v)
	}
	s := fmt.Sprintf("(share of all %d, measured time) server %s; bench %s, which shares the machine with the server (alone, the server would do somewhat better)",
		rep.Machine.NumCPU, pct(rep.Server.CPUShare), pct(rep.Client.CPUShare))
	if rep.Machine.OthersCPUShare != nil {
		s += "; other processes " + pct(rep.Machine.OthersCPUShare)
	}
	return s + "."
}

func writeErrors(b *strings.Builder, rep *Report, quote string) {
	first := true
	for _, sr := range rep.Scenarios {
		for _, e := range sr.ErrorSamples {
			if first {
				b.WriteString("\nErrors (first samples per scenario):\n")
				first = false
			}
			fmt.Fprintf(b, "- %s: %s%s%s\n", sr.Name, quote, strings.ReplaceAll(e, "`", "'"), quote)
		}
	}
}

func modeTitle(m Mode) string {
	if m == ModeEach {
		return "each scenario alone"
	}
	return "mixed by weight"
}

func modeNote(m Mode) string {
	if m == ModeEach {
		return "scenarios run one after another, each alone for an equal share of the time and count"
	}
	return "every client picks each operation at random by the weights below"
}

func millis(ms float64) string {
	switch {
	case ms == 0:
		return "–"
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 100:
		return fmt.Sprintf("%.1f ms", ms)
	case ms < 10_000:
		return fmt.Sprintf("%.0f ms", ms)
	}
	return fmt.Sprintf("%.1f s", ms/1000)
}

func rate(v float64) string {
	if v < 100 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return thousands(int64(v + 0.5))
}

func size(b float64) string {
	switch {
	case b == 0:
		return "–"
	case b < 1024:
		return fmt.Sprintf("%.0f B", b)
	case b < 1<<20:
		return fmt.Sprintf("%.1f KB", b/1024)
	}
	return fmt.Sprintf("%.1f MB", b/(1<<20))
}

func secs(s float64) string { return strconv.FormatFloat(s, 'f', -1, 64) + " s" }

func percent(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// thousands formats n with commas: 1,234,567.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
