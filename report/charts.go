package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Charts are inline SVG drawn here, so the report needs no script library
// and renders the same with JavaScript off. Every chart is an <svg
// class="chart" data-chart=NAME> whose bars are <rect class="bar">, which
// is what the browser test looks for.

const (
	chartWidth = 720
	labelWidth = 260
	rowHeight  = 22
)

// hbars draws a horizontal bar chart, one row per item, with the value
// (formatted by unit) after each bar.
func hbars(name, title string, items []counted, unit func(float64) string) template.HTML {
	if len(items) == 0 {
		return empty(name, title)
	}
	maxV := maxCount(items)
	h := len(items)*rowHeight + 8
	barArea := float64(chartWidth - labelWidth - 90)
	var b strings.Builder
	open(&b, name, title, chartWidth, h)
	for i, it := range items {
		y := i*rowHeight + 4
		w := scale(it.Count, maxV, barArea)
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`,
			labelWidth-6, y+15, esc(clip(it.Label, 40)))
		fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%.1f" height="%d"><title>%s: %s</title></rect>`,
			labelWidth, y+2, w, rowHeight-6, esc(it.Label), esc(unit(it.Count)))
		fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%d">%s</text>`, float64(labelWidth)+w+5, y+15, esc(unit(it.Count)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// funnelChart draws centred bars that narrow stage by stage, with each
// stage's share of the first.
func funnelChart(name, title string, items []counted) template.HTML {
	if len(items) == 0 {
		return empty(name, title)
	}
	maxV := maxCount(items)
	h := len(items)*rowHeight + 8
	area := float64(chartWidth - labelWidth - 10)
	mid := float64(labelWidth) + area/2
	var b strings.Builder
	open(&b, name, title, chartWidth, h)
	for i, it := range items {
		y := i*rowHeight + 4
		w := math.Max(scale(it.Count, maxV, area), 1)
		share := ""
		if maxV > 0 {
			share = fmt.Sprintf(" (%.1f%%)", 100*it.Count/maxV)
		}
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, labelWidth-6, y+15, esc(it.Label))
		fmt.Fprintf(&b, `<rect class="bar funnel" x="%.1f" y="%d" width="%.1f" height="%d"><title>%s: %s%s</title></rect>`,
			mid-w/2, y+2, w, rowHeight-6, esc(it.Label), num(it.Count), share)
		// The figure sits on the bar when it fits there, else beside it
		// (about 7px per character at the chart's font size).
		text := num(it.Count) + share
		if fits := float64(len(text))*7+8 <= w; fits {
			fmt.Fprintf(&b, `<text class="value inbar" x="%.1f" y="%d" text-anchor="middle">%s</text>`, mid, y+15, esc(text))
		} else {
			fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%d">%s</text>`, mid+w/2+5, y+15, esc(text))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// vbars draws a vertical bar chart (histograms, rates by round) with the
// value above each bar and its label below.
func vbars(name, title string, items []counted, unit func(float64) string) template.HTML {
	if len(items) == 0 {
		return empty(name, title)
	}
	const h, top, bottom = 240, 20, 30
	maxV := maxCount(items)
	slot := float64(chartWidth-20) / float64(len(items))
	var b strings.Builder
	open(&b, name, title, chartWidth, h)
	fmt.Fprintf(&b, `<line class="axis" x1="10" y1="%d" x2="%d" y2="%d"/>`, h-bottom, chartWidth-10, h-bottom)
	for i, it := range items {
		bh := scale(it.Count, maxV, h-top-bottom)
		x := 10 + float64(i)*slot
		y := float64(h-bottom) - bh
		fmt.Fprintf(&b, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %s</title></rect>`,
			x+slot*0.1, y, slot*0.8, bh, esc(it.Label), esc(unit(it.Count)))
		fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x+slot/2, y-4, esc(unit(it.Count)))
		fmt.Fprintf(&b, `<text class="label" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x+slot/2, h-bottom+16, esc(it.Label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func open(b *strings.Builder, name, title string, w, h int) {
	fmt.Fprintf(b, `<svg class="chart" data-chart="%s" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		esc(name), esc(title), w, h, w, h, esc(title))
}

// empty says that the run has no data for a chart, rather than drawing an
// empty frame that looks like a bug.
func empty(name, title string) template.HTML {
	return template.HTML(fmt.Sprintf(`<p class="nodata" data-chart-missing="%s">No data for %s in this run.</p>`,
		esc(name), esc(strings.ToLower(title))))
}

func maxCount(items []counted) float64 {
	m := 0.0
	for _, it := range items {
		m = math.Max(m, it.Count)
	}
	return m
}

func scale(v, maxV, area float64) float64 {
	if maxV <= 0 || v <= 0 {
		return 0
	}
	return v / maxV * area
}

// num formats a count: integers without decimals.
func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.1f", v)
}

func percent(v float64) string { return fmt.Sprintf("%.1f%%", v) }

func seconds(v float64) string { return fmt.Sprintf("%.1f s", v) }

func esc(s string) string { return html.EscapeString(s) }

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
