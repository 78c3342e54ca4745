package extract

// visit records the reads, bindings and facts under node n, read in scope s.
func (v *visitor) visit(n int32, s *scope) {
	t := v.t
	nd := &t.nodes[n]
	switch nd.kind {
	case "identifier":
		s.read(t.text(n))
	case "attribute":
		v.visitField(n, "object", s)
	case "keyword_argument":
		v.visitField(n, "value", s)
	case "call":
		v.f.calls = append(v.f.calls, n)
		v.visitChildren(n, s)
	case "string":
		if lit := t.text(n); pathLike(lit) {
			v.f.literals = append(v.f.literals, lit)
		}
		v.visitChildren(n, s) // f-string interpolations read names
	case "expression_statement":
		if !v.isDocstring(n) {
			v.visitChildren(n, s)
		}
	case "return_statement":
		if s == v.f.top {
			v.f.hasReturn = true
		}
		v.visitChildren(n, s)
	case "function_definition":
		v.f.nested = append(v.f.nested, "def")
		v.nestedFunction(n, s)
	case "class_definition":
		v.f.nested = append(v.f.nested, "class")
		v.nestedClass(n, s)
	case "lambda":
		inner := newScope(s, false)
		if p := t.child(n, "parameters"); p >= 0 {
			v.params(p, s, inner, false)
		}
		v.visitField(n, "body", inner)
	case "list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression":
		v.visitChildren(n, newScope(s, true))
	case "for_in_clause", "for_statement":
		v.bindField(n, "left", s)
		v.visitExcept(n, "left", s)
	case "assignment":
		v.bindField(n, "left", s)
		v.visitExcept(n, "left", s)
	case "augmented_assignment":
		v.bindField(n, "left", s)
		v.visitChildren(n, s)
	case "named_expression":
		if k := t.child(n, "name"); k >= 0 {
			s.functionScope().bind(t.text(k))
		}
		v.visitField(n, "value", s)
	case "as_pattern":
		v.bindField(n, "alias", s)
		v.visitExcept(n, "alias", s)
	case "except_clause":
		v.bindField(n, "alias", s)
		v.visitExcept(n, "alias", s)
	case "delete_statement":
		v.bindChildren(n, s)
	case "global_statement", "nonlocal_statement":
		t.children(n, func(c int32) {
			if t.nodes[c].kind == "identifier" {
				s.declared[t.text(c)] = true
			}
		})
	case "import_statement", "import_from_statement", "future_import_statement":
		v.f.nested = append(v.f.nested, "import")
		v.bindImport(n, s)
	case "case_pattern":
		v.pattern(n, s)
	default:
		v.visitChildren(n, s)
	}
}

func (v *visitor) visitChildren(n int32, s *scope) {
	for c := v.t.nodes[n].first; c >= 0; c = v.t.nodes[c].next {
		v.visit(c, s)
	}
}

func (v *visitor) visitField(n int32, field string, s *scope) {
	for c := v.t.nodes[n].first; c >= 0; c = v.t.nodes[c].next {
		if v.t.nodes[c].field == field {
			v.visit(c, s)
		}
	}
}

func (v *visitor) visitExcept(n int32, field string, s *scope) {
	for c := v.t.nodes[n].first; c >= 0; c = v.t.nodes[c].next {
		if v.t.nodes[c].field != field {
			v.visit(c, s)
		}
	}
}

// isDocstring reports whether an expression statement is a bare string,
// which documents rather than computes.
func (v *visitor) isDocstring(n int32) bool {
	kids := v.t.namedChildren(n)
	return len(kids) == 1 && v.t.nodes[kids[0]].kind == "string"
}

func (v *visitor) nestedFunction(n int32, s *scope) {
	t := v.t
	if k := t.child(n, "name"); k >= 0 {
		s.bind(t.text(k))
	}
	inner := newScope(s, false)
	if p := t.child(n, "parameters"); p >= 0 {
		v.params(p, s, inner, false)
	}
	v.visitField(n, "return_type", s)
	v.visitField(n, "body", inner)
}

func (v *visitor) nestedClass(n int32, s *scope) {
	t := v.t
	if k := t.child(n, "name"); k >= 0 {
		s.bind(t.text(k))
	}
	v.visitField(n, "superclasses", s)
	v.visitField(n, "body", newScope(s, false))
}
