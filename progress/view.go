package progress

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Line is one stage as the reporter shows it.
type Line struct {
	Label string
	Bytes bool // Count and Of are bytes
	Count int64
	// Of is the upstream count this stage works through (0: none), which
	// the ETA is measured against.
	Of   int64
	Rate float64 // per second, since the stage's first count
	// ETA is the time left at Rate to reach Of, assuming Of is final; 0
	// when unknown or done.
	ETA time.Duration
}

// stage is one entry of the fixed display order.
type stage struct {
	label, name, of string
	bytes           bool
}

// track is what view remembers of a stage between calls.
type track struct {
	first time.Time // last seen at zero (or the reporter's start)
	last  time.Time // count last changed
	count int64
}

// derivedPassed is the sum of the passed_round_* counters.
const derivedPassed = "passed"

// stages lists what the reporter shows, in pipeline order; fix rounds are
// inserted after "verified" as their counters appear.
var stages = []stage{
	{"input", InputBytesRead, InputBytes, true},
	{"functions", FunctionsEnded, FunctionsIn, false},
	{"read", Read, "", false},
	{"extracted", Extracted, "", false},
	{"kept", Kept, "", false},
	{"tests", TestsGenerated, Selected, false},
	{"verified", VerifiedRound + "0", TestsGenerated, false},
	{"refined", Refined, derivedPassed, false},
	{"measured", Adequacy, Refined, false},
	{"records", Records, Refined, false},
	{"written", WrittenPrefix + "data", "", false},
	{"rejected", WrittenPrefix + "rejected", "", false},
}

// view turns counts (since the reporter started at start) into display
// lines, skipping stages that have not started. tracks carries each
// stage's state from one call to the next.
// only, when non-empty, limits the stages to those labels.
func view(counts map[string]int64, tracks map[string]track, start, now time.Time, only []string) []Line {
	counts[derivedPassed] = 0
	var rounds []int
	for k, v := range counts {
		if r, ok := strings.CutPrefix(k, PassedRound); ok {
			counts[derivedPassed] += v
			if n, err := strconv.Atoi(r); err == nil && n > 0 {
				rounds = append(rounds, n)
			}
		}
	}
	sort.Ints(rounds)
	order := make([]stage, 0, len(stages)+len(rounds))
	for _, st := range stages {
		order = append(order, st)
		if st.label == "verified" {
			for _, n := range rounds {
				order = append(order, stage{fmt.Sprintf("fixed r%d", n), PassedRound + strconv.Itoa(n), "", false})
			}
		}
	}
	var out []Line
	for _, st := range order {
		l := Line{Label: st.label, Bytes: st.bytes, Count: counts[st.name], Of: counts[st.of]}
		tr := tracks[st.name]
		// A stage started after the last time it was seen at zero (or
		// after start), and its rate is measured up to its last change, so
		// rates are never overestimated and freeze when a stage is done.
		switch {
		case l.Count == 0:
			tr.first = now
		case tr.count == 0 && tr.first.IsZero():
			tr.first = start
		}
		if l.Count != tr.count {
			tr.count, tr.last = l.Count, now
		}
		tracks[st.name] = tr
		if l.Count == 0 && l.Of == 0 || len(only) > 0 && !slices.Contains(only, strings.Fields(st.label)[0]) {
			continue
		}
		if d := tr.last.Sub(tr.first); l.Count > 0 && d > 0 {
			l.Rate = float64(l.Count) / d.Seconds()
		}
		if l.Of > l.Count && l.Rate > 0 {
			l.ETA = time.Duration(float64(l.Of-l.Count) / l.Rate * float64(time.Second)).Round(time.Second)
		}
		out = append(out, l)
	}
	return out
}

// String renders a line for a log: "tests 120/319 (4.0/s, ETA 50s)", or
// for bytes "input 3.1/11.6 MiB (2.0 MiB/s, ETA 4s)".
func (l Line) String() string {
	s := l.Label + " " + l.counts()
	if extra := l.stats(); extra != "" {
		s += " (" + extra + ")"
	}
	return s
}

// counts renders "Count/Of" (or "Count" when Of is unknown), in one unit
// for bytes.
func (l Line) counts() string {
	if !l.Bytes {
		s := strconv.FormatInt(l.Count, 10)
		if l.Of > 0 {
			s += "/" + strconv.FormatInt(l.Of, 10)
		}
		return s
	}
	div, unit := byteUnit(max(l.Count, l.Of))
	s := fmt.Sprintf("%.1f", float64(l.Count)/div)
	if l.Of > 0 {
		s += fmt.Sprintf("/%.1f", float64(l.Of)/div)
	}
	return s + " " + unit
}

// byteUnit picks the unit to show n bytes in.
func byteUnit(n int64) (float64, string) {
	switch {
	case n >= 1<<30:
		return 1 << 30, "GiB"
	case n >= 1<<20:
		return 1 << 20, "MiB"
	}
	return 1 << 10, "KiB"
}

// stats is the rate and ETA part of a line.
func (l Line) stats() string {
	var parts []string
	switch {
	case l.Rate > 0 && l.Bytes:
		div, unit := byteUnit(int64(l.Rate))
		parts = append(parts, fmt.Sprintf("%.1f %s/s", l.Rate/div, unit))
	case l.Rate > 0:
		parts = append(parts, fmt.Sprintf("%.1f/s", l.Rate))
	}
	if l.ETA > 0 {
		parts = append(parts, "ETA "+l.ETA.String())
	}
	return strings.Join(parts, ", ")
}
