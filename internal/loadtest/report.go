package loadtest

import (
	"fmt"
	"runtime"
	"time"
)

// Report is the outcome of a run, for people (Markdown, text) and machines
// (JSON). Latencies are in milliseconds, rates per second.
type Report struct {
	Command        string           `json:"command,omitempty"`
	Date           time.Time        `json:"date"`
	Target         string           `json:"target"`
	MixName        string           `json:"mix"`
	Mode           Mode             `json:"mode"`
	Concurrency    int              `json:"concurrency"`
	DurationS      float64          `json:"duration_s"`
	MaxRequests    int64            `json:"max_requests"`
	WarmupS        float64          `json:"warmup_s"`
	ElapsedS       float64          `json:"elapsed_s"`
	StoppedBy      string           `json:"stopped_by"` // duration, requests or interrupted
	Interrupted    bool             `json:"interrupted"`
	Posts          int              `json:"posts_found"`
	ThreadComments int64            `json:"thread_comments"` // of the thread scenario's post, when found
	Scenarios      []ScenarioResult `json:"scenarios"`
	Total          ScenarioResult   `json:"total"`
	Server         ServerInfo       `json:"server"`
	Client         ClientInfo       `json:"client"`
	Machine        Machine          `json:"machine"`
}

// ScenarioResult is one scenario's figures. Requests counts completed
// operations (one HTTP request each, except thread: one whole thread);
// HTTPRequests counts the HTTP requests they made.
type ScenarioResult struct {
	Name           string   `json:"name"`
	About          string   `json:"about,omitempty"`
	Weight         int      `json:"weight,omitempty"`
	Requests       int64    `json:"requests"`
	HTTPRequests   int64    `json:"http_requests"`
	Errors         int64    `json:"errors"`
	ErrorSamples   []string `json:"error_samples,omitempty"`
	WarmupRequests int64    `json:"warmup_requests"`
	Seconds        float64  `json:"seconds"`
	PerSecond      float64  `json:"requests_per_s"`
	Latency        Latency  `json:"latency_ms"`
	BytesPerReq    float64  `json:"bytes_per_request"`
	// VsStatic is the scenario's requests/s alone over the static
	// baseline's, measured in the same run (--mode each only; see
	// VsStaticMeaning). Absent without a baseline.
	VsStatic *float64 `json:"vs_static,omitempty"`
}

// Latency percentiles of successful operations, in milliseconds.
type Latency struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// ServerInfo is what the bench could see of the server process.
type ServerInfo struct {
	PID          int      `json:"pid,omitempty"`
	PeakRSSBytes *int64   `json:"peak_rss_bytes"` // VmHWM: peak since the server started; null when unknown
	CPUShare     *float64 `json:"cpu_share"`      // of all CPUs, during the measured time
}

// ClientInfo is the bench's own cost: it shares the machine with the server.
type ClientInfo struct {
	CPUShare *float64 `json:"cpu_share"` // of all CPUs, during the measured time
}

// Machine describes where the figures were taken.
type Machine struct {
	CPU        string `json:"cpu"`
	NumCPU     int    `json:"num_cpu"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	GoVersion  string `json:"go_version"`
	OS         string `json:"os"`
	// OthersCPUShare is the CPU other processes used during the measured
	// time, as a fraction of all CPUs; null when the server is unknown.
	OthersCPUShare *float64 `json:"others_cpu_share"`
}

// VsStaticMeaning says what ScenarioResult.VsStatic is in a mode.
func VsStaticMeaning(m Mode) string {
	if m == ModeEach {
		return "requests/s of the scenario running alone ÷ requests/s of the static baseline running alone, same clients, same run"
	}
	return "not given in a mix, where each scenario's rate follows its weight and every request waits behind the others; run with --mode each for cost ratios. Here the static row is a static file's latency under this load: the queueing every request pays"
}

func (r *run) report(elapsed time.Duration, stoppedBy string, p *probe) *Report {
	o := r.opts
	rep := &Report{
		Date: time.Now().UTC().Truncate(time.Second), Target: o.Target.String(), MixName: o.MixName, Mode: o.Mode,
		Concurrency: o.Concurrency, DurationS: o.Duration.Seconds(), MaxRequests: o.MaxRequests, WarmupS: o.Warmup.Seconds(),
		ElapsedS: elapsed.Seconds(), StoppedBy: stoppedBy, Interrupted: stoppedBy == "interrupted",
		Posts: len(r.env.posts), ThreadComments: r.env.thread.Comments,
		Machine: Machine{CPU: CPUModel(), NumCPU: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
			GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH},
	}
	all := NewHistogram()
	var static *stats
	for _, m := range o.Mix {
		s := r.stats[m.Scenario]
		rep.Scenarios = append(rep.Scenarios, s.result(m.Scenario.Name, m.Scenario.About, m.Weight))
		all.Merge(s.hist)
		rep.Total.add(s)
		if m.Scenario.Name == StaticName {
			static = s
		}
	}
	rep.Total.Name, rep.Total.Seconds = "total", elapsed.Seconds()
	rep.Total.finish(all)
	if o.Mode == ModeEach && static != nil && static.ops > 0 {
		base := float64(static.ops) / static.elapsed.Seconds()
		for i, m := range o.Mix {
			if s := r.stats[m.Scenario]; s.ops > 0 {
				v := float64(s.ops) / s.elapsed.Seconds() / base
				rep.Scenarios[i].VsStatic = &v
			}
		}
	}
	r.machineCost(rep, p)
	return rep
}

func (r *run) machineCost(rep *Report, p *probe) {
	sh := shares(p.start, p.end, runtime.NumCPU())
	rep.Client.CPUShare, rep.Machine.OthersCPUShare = sh.client, sh.others
	if r.opts.ServerPID > 0 {
		rep.Server.PID, rep.Server.CPUShare = r.opts.ServerPID, sh.server
		if v := p.peak.Load(); v > 0 {
			rep.Server.PeakRSSBytes = &v
		}
	}
}

func (s *stats) result(name, about string, weight int) ScenarioResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	sr := ScenarioResult{Name: name, About: about, Weight: weight, Seconds: s.elapsed.Seconds()}
	for _, e := range s.samples {
		msg := e.msg
		if e.n > 1 {
			msg += fmt.Sprintf(" (×%d)", e.n)
		}
		sr.ErrorSamples = append(sr.ErrorSamples, msg)
	}
	sr.add(s)
	sr.finish(s.hist)
	return sr
}

// add sums s's counters into sr; the caller holds s.mu or owns s.
func (sr *ScenarioResult) add(s *stats) {
	sr.Requests += s.ops
	sr.HTTPRequests += s.requests
	sr.Errors += s.errors
	sr.WarmupRequests += s.warmOps
	sr.BytesPerReq += float64(s.bytes) // a sum until finish
}

// finish turns the sums into rates and reads the percentiles of h.
func (sr *ScenarioResult) finish(h *Histogram) {
	if done := sr.Requests + sr.Errors; done > 0 {
		sr.BytesPerReq /= float64(done)
	}
	if sr.Seconds > 0 {
		sr.PerSecond = float64(sr.Requests) / sr.Seconds
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	sr.Latency = Latency{P50: ms(h.Quantile(0.50)), P90: ms(h.Quantile(0.90)), P99: ms(h.Quantile(0.99)),
		Max: ms(h.Max()), Mean: ms(h.Mean())}
}
