package report

import (
	"bytes"
	"context"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromiumPath is Debian's chromium, which scripts/test.sh installs.
const chromiumPath = "/usr/bin/chromium"

// chromium runs headless chromium on the report with extra flags and
// returns stdout and stderr. Networking, sync and updates are off: the
// report must work offline.
func chromium(t *testing.T, page string, extra ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}, extra...)
	cmd := exec.CommandContext(ctx, chromiumPath, append(args, "file://"+page)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", extra, err, errOut.String())
	}
	return out.String(), errOut.String()
}

// consoleLine matches what chromium logs for a console message or an
// uncaught exception ("INFO:CONSOLE(12)] \"Uncaught ...\"").
var consoleLine = regexp.MustCompile(`(?m)^.*(CONSOLE|Uncaught).*$`)

// TestReportInBrowser opens the report of a synthesize and of an extract
// run in a real browser: no console errors, the charts are in the DOM after
// the page's script ran, and a screenshot is not blank.
func TestReportInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		skipOutsideCI(t, "%s not installed (scripts/test.sh installs Debian's chromium): %v", chromiumPath, err)
	}
	for _, tc := range []struct {
		name   string
		dir    func(*testing.T) string
		charts int
	}{{"synthesize", synthesizeRun, 12}, {"extract", extractRun, 4}} {
		t.Run(tc.name, func(t *testing.T) {
			page := filepath.Join(t.TempDir(), "report.html")
			r, err := Load(context.Background(), tc.dir(t), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteReport(context.Background(), r, page); err != nil {
				t.Fatal(err)
			}
			dom, logs := chromium(t, page, "--dump-dom")
			if m := consoleLine.FindAllString(logs, -1); len(m) > 0 {
				t.Errorf("console output:\n%s", strings.Join(m, "\n"))
			}
			checkDOM(t, dom, tc.charts)
			shot := filepath.Join(t.TempDir(), "shot.png")
			_, logs = chromium(t, page, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars")
			if m := consoleLine.FindAllString(logs, -1); len(m) > 0 {
				t.Errorf("console output while taking the screenshot:\n%s", strings.Join(m, "\n"))
			}
			checkNotBlank(t, shot)
		})
	}
}

func checkDOM(t *testing.T, dom string, charts int) {
	t.Helper()
	// The page's script counts the charts it finds and writes the number
	// on <html>: present only if the script ran to the end.
	if want := `data-charts="` + itoa(charts) + `"`; !strings.Contains(dom, want) {
		t.Errorf("DOM lacks %s: the script did not run or charts are missing", want)
	}
	if n := strings.Count(dom, `<svg class="chart"`); n != charts {
		t.Errorf("%d charts in the DOM, want %d", n, charts)
	}
	if !strings.Contains(dom, `class="bar`) {
		t.Error("no chart bars in the DOM")
	}
	if m := regexp.MustCompile(`<div id="js-errors"[^>]*>([^<]*)</div>`).FindStringSubmatch(dom); m == nil || strings.TrimSpace(m[1]) != "" {
		t.Errorf("script errors reported in the page: %v", m)
	}
}

// checkNotBlank fails when the screenshot is (nearly) one colour.
func checkNotBlank(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	b := img.Bounds()
	var sum, sq, n float64
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			sum, sq, n = sum+l, sq+l*l, n+1
		}
	}
	mean := sum / n
	std := math.Sqrt(sq/n - mean*mean)
	if b.Dx() < 1000 || std < 10 {
		t.Errorf("screenshot %dx%d looks blank: luminance std %.1f", b.Dx(), b.Dy(), std)
	}
	t.Logf("screenshot %dx%d, luminance mean %.0f std %.1f", b.Dx(), b.Dy(), mean, std)
}

func itoa(n int) string { return strconv.Itoa(n) }
