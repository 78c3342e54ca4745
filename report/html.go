package report

import (
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/unitcoder/unitcoder/io/dataset"
)

// ReportFile is the report's default name inside the run directory.
const ReportFile = "report.html"

//go:embed report.html.tmpl
var reportTemplate string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"join":  func(s []string) string { return strings.Join(s, ", ") },
	"shell": shellJoin,
	"deref": func(p *float64) float64 { return *p },
}).Parse(reportTemplate))

// view is what the template sees: the run plus its rendered charts.
type view struct {
	*Run
	FunnelChart, ReasonsChart, PassRateChart, CoverageChart template.HTML
	LibsChart, APIsChart, TokensChart, TimeChart, BusyChart template.HTML
	MutationChart, AdequacyChart, YieldChart                template.HTML
	LicenseRows                                             []counted
	Conserved                                               bool
}

// Render writes the run's HTML report to w.
func Render(w io.Writer, r *Run) error {
	v := view{Run: r,
		FunnelChart: r.funnelChart(), ReasonsChart: r.reasonsChart(), PassRateChart: r.passRateChart(),
		CoverageChart: r.coverageChart(), LibsChart: r.libsChart(), APIsChart: r.apisChart(),
		TokensChart: r.tokensChart(), TimeChart: r.timeChart(), BusyChart: r.busyChart(),
		MutationChart: r.mutationChart(), AdequacyChart: r.adequacyChart(), YieldChart: r.yieldChart(),
		LicenseRows: r.licenseRows(),
		Conserved:   r.Stats.Check() == nil,
	}
	if err := reportTmpl.Execute(w, v); err != nil {
		return fmt.Errorf("render report of %s: %w", r.Dir, err)
	}
	return nil
}

// WriteReport renders the report of run directory r to path (local or
// gs://), atomically.
func WriteReport(ctx context.Context, r *Run, path string) error {
	var b strings.Builder
	if err := Render(&b, r); err != nil {
		return err
	}
	return dataset.WriteFileAtomic(ctx, path, []byte(b.String()))
}

// licenseRows lists licenses by count, naming the unknown one.
func (r *Run) licenseRows() []counted {
	rows := topN(r.Licenses, 0)
	for i := range rows {
		if rows[i].Label == "" {
			rows[i].Label = unknownLicense
		}
	}
	return rows
}

// unknownLicense labels rows whose corpus row named no license.
const unknownLicense = "unknown (not recorded in the corpus)"

// shellJoin quotes args so the line can be pasted into a POSIX shell.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = shellQuote(a)
	}
	return strings.Join(out, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_=./:,@%+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
