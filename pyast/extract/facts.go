package extract

import "strings"

// facts are what one walk over a top-level function learns.
type facts struct {
	top       *scope
	params    []string
	hasReturn bool
	nested    []string // "def", "class", "import" for each nested one
	calls     []int32  // call nodes, in source order
	literals  []string // string literals that look like paths, docstrings excluded
}

// visitor walks a function body and records scopes and facts.
type visitor struct {
	t  *tree
	f  *facts
	fn int32 // the top-level function_definition
}

// analyze studies the top-level function_definition fn. Decorators are
// analysed by the caller with the top scope as the reading scope.
func analyze(t *tree, fn int32, decorators []int32) *facts {
	v := &visitor{t: t, f: &facts{}, fn: fn}
	top := newScope(nil, false)
	v.f.top = top
	for _, d := range decorators {
		v.visit(d, top)
	}
	if p := t.child(fn, "parameters"); p >= 0 {
		v.params(p, top, top, true)
	}
	if r := t.child(fn, "return_type"); r >= 0 {
		v.visit(r, top)
	}
	if b := t.child(fn, "body"); b >= 0 {
		v.visit(b, top)
	}
	return v.f
}

// params binds parameter names in inner and reads defaults and annotations
// in outer, where Python evaluates them.
func (v *visitor) params(p int32, outer, inner *scope, record bool) {
	t := v.t
	t.children(p, func(c int32) {
		switch t.nodes[c].kind {
		case "identifier":
			v.param(t.text(c), inner, record)
		case "typed_parameter":
			t.children(c, func(k int32) {
				if t.nodes[k].field == "type" {
					v.visit(k, outer)
				} else if t.nodes[k].named {
					v.param(firstIdent(t, k), inner, record)
				}
			})
		case "default_parameter", "typed_default_parameter":
			if n := t.child(c, "name"); n >= 0 {
				v.param(firstIdent(t, n), inner, record)
			}
			for _, f := range []string{"type", "value"} {
				if k := t.child(c, f); k >= 0 {
					v.visit(k, outer)
				}
			}
		case "list_splat_pattern", "dictionary_splat_pattern", "tuple_pattern":
			v.bindTarget(c, inner)
			if record {
				v.f.params = append(v.f.params, firstIdent(t, c))
			}
		}
	})
}

func (v *visitor) param(name string, s *scope, record bool) {
	if name == "" {
		return
	}
	s.bind(name)
	if record {
		v.f.params = append(v.f.params, name)
	}
}

// firstIdent returns the first identifier at or under n.
func firstIdent(t *tree, n int32) string {
	name := ""
	t.walk(n, func(k int32) bool {
		if name != "" {
			return false
		}
		if t.nodes[k].kind == "identifier" {
			name = t.text(k)
			return false
		}
		return true
	})
	return name
}

// pathLike keeps only literals a path rule could care about, so a Function
// does not carry every string of its body.
func pathLike(lit string) bool {
	return strings.ContainsAny(lit, `/\`) && len(lit) < 512
}
