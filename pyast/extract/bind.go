package extract

// bindField binds the assignment targets under the given field of n.
func (v *visitor) bindField(n int32, field string, s *scope) {
	for c := v.t.nodes[n].first; c >= 0; c = v.t.nodes[c].next {
		if v.t.nodes[c].field == field {
			v.bindTarget(c, s)
		}
	}
}

func (v *visitor) bindChildren(n int32, s *scope) {
	for c := v.t.nodes[n].first; c >= 0; c = v.t.nodes[c].next {
		if v.t.nodes[c].named {
			v.bindTarget(c, s)
		}
	}
}

// bindTarget binds the names an assignment target introduces; attribute
// and subscript targets bind nothing but read their object.
func (v *visitor) bindTarget(n int32, s *scope) {
	switch v.t.nodes[n].kind {
	case "identifier":
		s.bind(v.t.text(n))
	case "as_pattern_target", "tuple_pattern", "list_pattern", "pattern_list", "tuple", "list",
		"expression_list", "parenthesized_expression", "list_splat_pattern", "list_splat",
		"dictionary_splat_pattern":
		v.bindChildren(n, s)
	case "comment":
	default:
		v.visit(n, s)
	}
}

// bindImport binds the names a function-local import introduces.
func (v *visitor) bindImport(n int32, s *scope) {
	t := v.t
	t.children(n, func(c int32) {
		if t.nodes[c].field != "name" {
			return
		}
		switch t.nodes[c].kind {
		case "dotted_name":
			s.bind(firstDotted(t.text(c)))
		case "aliased_import":
			if a := t.child(c, "alias"); a >= 0 {
				s.bind(t.text(a))
			}
		}
	})
}

// pattern handles a match-statement case pattern: a bare name captures
// (binds), a dotted name or a class pattern's class is read.
func (v *visitor) pattern(n int32, s *scope) {
	t := v.t
	switch t.nodes[n].kind {
	case "dotted_name":
		parts := t.namedChildren(n)
		parent := t.nodes[n].parent
		if len(parts) == 1 && (parent < 0 || t.nodes[parent].kind != "class_pattern") {
			s.bind(t.text(parts[0]))
		} else if len(parts) > 0 {
			s.read(t.text(parts[0]))
		}
	case "identifier":
		s.bind(t.text(n))
	case "keyword_pattern":
		kids := t.namedChildren(n)
		for _, k := range kids[min(1, len(kids)):] {
			v.pattern(k, s)
		}
	case "string", "integer", "float", "true", "false", "none", "concatenated_string":
	default:
		t.children(n, func(c int32) { v.pattern(c, s) })
	}
}
