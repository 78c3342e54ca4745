package retrieval

import (
	"context"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
)

func init() {
	register.DoFn4x0[context.Context, sample.Function, func(sample.Function), func(sample.Rejected)](&importCheckFn{})
}

// Reject reasons of the import check (stage load).
const (
	// ReasonRelativeImport: the program imports from its own package,
	// which does not exist in the sandbox. Detail: the import line.
	ReasonRelativeImport = "relative_import"
	// ReasonMissingModulePrefix + NAME: the sandbox's Python has no
	// top-level module NAME. Detail: the import line.
	ReasonMissingModulePrefix = "env:missing_module:"
	// ReasonRefusedModulePrefix + NAME: the sandbox refuses every program
	// that imports NAME (sandbox.RefusedModules). Detail: the import line.
	ReasonRefusedModulePrefix = "env:refused_module:"
	// ReasonShadowsBuiltin: the function is named like a builtin. Tests
	// see the real builtins, never a program's own (the sandbox's rule), so
	// no test can call it by name.
	ReasonShadowsBuiltin = "entry_shadows_builtin"
)

var importsRejected = beam.NewCounter("load", "imports_rejected")

// CheckImports rejects (stage load) functions whose program imports
// relatively, imports a module the sandbox refuses, or imports a top-level
// module missing from modules, the sandbox interpreter's list
// (sandbox.InstalledModules), and functions named like a builtin. Such programs
// could only fail as load_error or env_error after their tests were paid
// for. With no modules the installed set is not checked; relative imports
// always are.
func CheckImports(s beam.Scope, functions beam.PCollection, modules []string) (kept, rejected beam.PCollection) {
	s = s.Scope("CheckImports")
	return beam.ParDo2(s, &importCheckFn{Modules: modules}, functions)
}

type importCheckFn struct {
	Modules []string `json:"modules,omitempty"`
	have    map[string]bool
}

func (fn *importCheckFn) Setup() {
	fn.have = make(map[string]bool, len(fn.Modules))
	for _, m := range fn.Modules {
		fn.have[m] = true
	}
}

func (fn *importCheckFn) ProcessElement(ctx context.Context, f sample.Function, emit func(sample.Function), reject func(sample.Rejected)) {
	reason, detail := fn.check(f.Imports)
	if reason == "" && extract.IsBuiltin(f.Name) {
		reason, detail = ReasonShadowsBuiltin, f.Name
	}
	if reason != "" {
		importsRejected.Inc(ctx, 1)
		reject(sample.RejectFunction(f.ID, sample.StageLoad, reason, detail))
		return
	}
	emit(f)
}

// check returns why the import lines cannot load, or "". An entry with
// fallbacks loads when any alternative does; otherwise its first
// alternative's reason is given.
func (fn *importCheckFn) check(lines []string) (reason, detail string) {
	for _, entry := range lines {
		for i, alt := range extract.ImportAlternatives(entry) {
			r, d := fn.checkLine(alt)
			if r == "" {
				reason, detail = "", ""
				break
			}
			if i == 0 {
				reason, detail = r, d
			}
		}
		if reason != "" {
			return reason, detail
		}
	}
	return "", ""
}

// checkLine returns why one import line cannot load, or "".
func (fn *importCheckFn) checkLine(l string) (reason, detail string) {
	modules, relative := extract.ImportedModules([]string{l})
	if len(relative) > 0 {
		return ReasonRelativeImport, l
	}
	for _, m := range modules {
		switch {
		case slices.Contains(sandbox.RefusedModules, m):
			return ReasonRefusedModulePrefix + m, l
		case len(fn.have) > 0 && !fn.have[m]:
			return ReasonMissingModulePrefix + m, l
		}
	}
	return "", ""
}
