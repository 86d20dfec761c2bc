package media

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Tools are the paths of ffprobe and ffmpeg; "" when not installed. Without
// them videos are still accepted and served, only without a poster,
// duration, dimensions or fast-start remux.
type Tools struct {
	FFprobe string
	FFmpeg  string
}

// FindTools looks ffprobe and ffmpeg up in PATH.
func FindTools() Tools {
	var t Tools
	t.FFprobe, _ = exec.LookPath("ffprobe")
	t.FFmpeg, _ = exec.LookPath("ffmpeg")
	return t
}

// Capability is one thing media processing can or cannot do here, for the
// admin page.
type Capability struct {
	Name string
	OK   bool
	Note string
}

// Capabilities reports what processing can do with the tools found.
func (t Tools) Capabilities() []Capability {
	probe := Capability{Name: "ffprobe", OK: t.FFprobe != "",
		Note: "reads the duration, codecs and dimensions of videos"}
	if !probe.OK {
		probe.Note = "not installed: videos show no duration or dimensions (install the ffmpeg package)"
	}
	mpeg := Capability{Name: "ffmpeg", OK: t.FFmpeg != "",
		Note: "makes video posters, remuxes MP4 for fast start, transcodes what browsers cannot play"}
	if !mpeg.OK {
		mpeg.Note = "not installed: videos play without posters and are served as uploaded (install the ffmpeg package)"
	}
	return []Capability{
		{Name: "images", OK: true, Note: "JPEG, PNG, WebP and GIF resized in Go (320, 640, 1280 wide); metadata stripped"},
		probe, mpeg,
	}
}

// probed is what ffprobe says of a video.
type probed struct {
	Duration      time.Duration
	Width, Height int
	VideoCodec    string
	AudioCodec    string
}

// errNoTool is a run that needed a missing tool.
var errNoTool = errors.New("tool not installed")

func (t Tools) probe(ctx context.Context, path string) (probed, error) {
	if t.FFprobe == "" {
		return probed{}, errNoTool
	}
	out, err := run(ctx, t.FFprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path)
	if err != nil {
		return probed{}, fmt.Errorf("the video cannot be read (damaged, incomplete or not a video): %w", err)
	}
	var res struct {
		Streams []struct {
			CodecType string `json:"codec_type"`
			CodecName string `json:"codec_name"`
			Width     int    `json:"width"`
			Height    int    `json:"height"`
		} `json:"streams"`
		Format struct {
			Duration string `json:"duration"`
		} `json:"format"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		return probed{}, fmt.Errorf("read ffprobe output: %w", err)
	}
	var p probed
	for _, s := range res.Streams {
		switch {
		case s.CodecType == "video" && p.VideoCodec == "":
			p.VideoCodec, p.Width, p.Height = s.CodecName, s.Width, s.Height
		case s.CodecType == "audio" && p.AudioCodec == "":
			p.AudioCodec = s.CodecName
		}
	}
	if p.VideoCodec == "" {
		return probed{}, errors.New("the file has no video stream")
	}
	if secs, err := strconv.ParseFloat(res.Format.Duration, 64); err == nil && secs > 0 {
		p.Duration = time.Duration(secs * float64(time.Second)).Round(time.Millisecond)
	}
	return p, nil
}

// poster writes one frame, at most 1280 wide, as a JPEG.
func (t Tools) poster(ctx context.Context, in, out string, at time.Duration) error {
	if t.FFmpeg == "" {
		return errNoTool
	}
	_, err := run(ctx, t.FFmpeg, "-nostdin", "-v", "error", "-y", "-ss", fmt.Sprintf("%.3f", at.Seconds()), "-i", in,
		"-frames:v", "1", "-vf", "scale='min(1280,iw)':-2", "-q:v", "4", "-f", "image2", "-c:v", "mjpeg", out)
	return err
}

// remux copies the streams into an MP4 whose index comes first, so that
// playback starts before the whole file is loaded, without the source's
// metadata (phones write the place of recording there).
func (t Tools) remux(ctx context.Context, in, out string) error {
	if t.FFmpeg == "" {
		return errNoTool
	}
	_, err := run(ctx, t.FFmpeg, "-nostdin", "-v", "error", "-y", "-i", in, "-map", "0:v:0", "-map", "0:a:0?",
		"-c", "copy", "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4", out)
	return err
}

// transcode makes an H.264/AAC MP4 every browser plays.
func (t Tools) transcode(ctx context.Context, in, out string) error {
	if t.FFmpeg == "" {
		return errNoTool
	}
	_, err := run(ctx, t.FFmpeg, "-nostdin", "-v", "error", "-y", "-i", in, "-map", "0:v:0", "-map", "0:a:0?",
		"-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2",
		"-c:a", "aac", "-b:a", "128k", "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4", out)
	return err
}

// run runs a tool and returns its standard output; a failure carries the
// last line the tool wrote on standard error.
func run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &limitedBuffer{b: &stderr, max: 8 << 10}
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, errors.New(msg)
	}
	return stdout.Bytes(), nil
}

// limitedBuffer keeps the first max bytes: a tool that floods its error
// output does not grow memory.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// playable reports whether browsers play this container and codecs as is.
func playable(mime string, p probed) bool {
	audioOK := func(ok ...string) bool {
		if p.AudioCodec == "" {
			return true
		}
		for _, c := range ok {
			if p.AudioCodec == c {
				return true
			}
		}
		return false
	}
	switch mime {
	case "video/mp4", "video/quicktime":
		return (p.VideoCodec == "h264" || p.VideoCodec == "av1") && audioOK("aac", "mp3", "opus")
	case "video/webm":
		return (p.VideoCodec == "vp8" || p.VideoCodec == "vp9" || p.VideoCodec == "av1") && audioOK("opus", "vorbis")
	}
	return false
}
