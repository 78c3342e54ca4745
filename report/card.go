package report

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
)

// CardFile is the dataset card's name inside the run directory.
const CardFile = "README.md"

//go:embed card.md.tmpl
var cardTemplate string

var cardTmpl = template.Must(template.New("card").Funcs(template.FuncMap{
	"yaml": yamlString,
	"md":   func(s string) string { return strings.ReplaceAll(s, "|", `\|`) },
}).Parse(cardTemplate))

// cardView is what the card template sees.
type cardView struct {
	*Run
	Title, Summary, SizeCategory, Input, CommandLine string
	LicenseIDs                                       []string
	DataFeatures, RejectedFeatures, NearMissFeatures string
	Fields                                           []cardField
	Licenses, Reasons                                []counted
	RepoCount, UnknownRepos                          int
	PassRows                                         []passRow
	Conserved                                        bool
	// NearMisses is the number of near_miss rows; Adequacy is set when
	// the run measured test strength.
	NearMisses int
	Adequacy   *adequacyView
}

// adequacyView is the card's test-strength section.
type adequacyView struct {
	*runstats.AdequacyStats
	MinMutationScore, MinCoverage, MutantsFlag, RerunsFlag string
	Bins                                                   []counted
	Origins, NearMissReasons                               []counted
}

type cardField struct{ Name, Type string }

type passRow struct {
	Round, Passed int
	Rate          float64
}

// Card renders the run's dataset card (README.md).
func Card(r *Run) ([]byte, error) {
	rowType := reflect.TypeOf(runstats.FunctionOut{})
	title, summary := "unitcoder extracted functions", "Python functions that call popular libraries, extracted from a code corpus."
	if r.Synthesized() {
		rowType = reflect.TypeOf(sample.Record{})
		title = "unitcoder verified programs with unit tests"
		summary = "Python programs, each with unit tests that it passes, synthesized from a code corpus for post-training code LLMs."
	}
	v := cardView{Run: r, Title: title, Summary: summary, SizeCategory: sizeCategory(r.Accepted),
		Input: r.input(), CommandLine: r.commandLine(), LicenseIDs: r.licenseIDs(),
		DataFeatures: features(rowType, "  "), RejectedFeatures: features(reflect.TypeOf(sample.Rejected{}), "  "),
		Fields: fieldTable(rowType), Licenses: r.licenseRows(), Reasons: topN(r.Stats.Reasons, 0),
		PassRows: r.passRows(), Conserved: r.Stats.Check() == nil}
	if a := r.Stats.Adequacy; a != nil && r.Synthesized() {
		for _, n := range a.NearMisses {
			v.NearMisses += n
		}
		v.NearMissFeatures = features(reflect.TypeOf(sample.NearMiss{}), "  ")
		p := r.Stats.Parameters
		v.Adequacy = &adequacyView{AdequacyStats: a, MinMutationScore: p["min_mutation_score"], MinCoverage: p["min_coverage"],
			MutantsFlag: p["mutants"], RerunsFlag: p["reruns"], Bins: scoreBins(a.ScoreHistogram),
			Origins: topN(a.Records, 0), NearMissReasons: topN(a.NearMisses, 0)}
	}
	for repo, n := range r.Repos {
		if repo == "" {
			v.UnknownRepos = n
		} else {
			v.RepoCount++
		}
	}
	var b strings.Builder
	if err := cardTmpl.Execute(&b, v); err != nil {
		return nil, fmt.Errorf("render dataset card of %s: %w", r.Dir, err)
	}
	return []byte(b.String()), nil
}

// scoreBins labels a mutation-score histogram's ten bins.
func scoreBins(h []int) []counted {
	out := make([]counted, len(h))
	for i, n := range h {
		hi := ")"
		if i == len(h)-1 {
			hi = "]"
		}
		out[i] = counted{Label: fmt.Sprintf("[%.1f, %.1f%s", float64(i)/10, float64(i+1)/10, hi), Count: float64(n)}
	}
	return out
}

// WriteCard writes the dataset card into the run directory.
func WriteCard(ctx context.Context, r *Run) error {
	b, err := Card(r)
	if err != nil {
		return err
	}
	return dataset.WriteFileAtomic(ctx, dataset.JoinPath(r.Dir, CardFile), b)
}

// licenseIDs are the card's `license` values: the corpus's licenses,
// lower-cased as the Hub expects, and "unknown" for rows without one.
func (r *Run) licenseIDs() []string {
	seen := map[string]bool{}
	for l := range r.Licenses {
		id := strings.ToLower(strings.TrimSpace(l))
		if id == "" {
			id = "unknown"
		}
		seen[id] = true
	}
	if len(seen) == 0 {
		seen["unknown"] = true
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// input names what the run read: a corpus glob or function rows.
func (r *Run) input() string {
	if f := r.Stats.Parameters["functions"]; f != "" {
		return f
	}
	return r.Stats.Parameters["input"]
}

// commandLine is the exact command, or, for runs recorded before it was
// kept, the command rebuilt from the parameters.
func (r *Run) commandLine() string {
	if len(r.Stats.CommandLine) > 0 {
		return shellJoin(r.Stats.CommandLine)
	}
	args := []string{"unitcoder", r.Stats.Command}
	keys := make([]string, 0, len(r.Stats.Parameters))
	for k := range r.Stats.Parameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "--"+k+"="+r.Stats.Parameters[k])
	}
	return shellJoin(args)
}

func (r *Run) passRows() []passRow {
	var rows []passRow
	for k, rate := range r.Stats.PassRateAtRound {
		n, err := strconv.Atoi(k)
		if err != nil {
			continue
		}
		rows = append(rows, passRow{Round: n, Passed: r.Stats.PassAtRound[k], Rate: 100 * rate})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Round < rows[j].Round })
	return rows
}

// fieldTable lists a row type's top-level fields and their types.
func fieldTable(t reflect.Type) []cardField {
	var out []cardField
	for _, f := range jsonFields(t) {
		typ := ""
		switch {
		case f.typ.Kind() == reflect.Struct:
			typ = "struct"
		case f.typ.Kind() == reflect.Slice && f.typ.Elem().Kind() == reflect.Struct:
			typ = "list of struct"
		case f.typ.Kind() == reflect.Slice:
			typ = "list of " + dtype(f.typ.Elem())
		default:
			typ = dtype(f.typ)
		}
		out = append(out, cardField{f.name, typ})
	}
	return out
}

// sizeCategory is the Hub's size_categories bucket for n rows.
func sizeCategory(n int) string {
	bounds := []struct {
		limit int
		name  string
	}{{1e3, "n<1K"}, {1e4, "1K<n<10K"}, {1e5, "10K<n<100K"}, {1e6, "100K<n<1M"}, {1e7, "1M<n<10M"}, {1e8, "10M<n<100M"}}
	for _, b := range bounds {
		if n < b.limit {
			return b.name
		}
	}
	return "n>100M"
}

// yamlString quotes s as a YAML double-quoted scalar (JSON's string syntax
// is a subset of it).
func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
