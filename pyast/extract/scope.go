package extract

import "sort"

// scope is one Python name scope: a function, lambda, class body or
// comprehension. Names bound anywhere in a scope are local to all of it,
// as in Python, so reads are resolved only after the whole scope is seen.
type scope struct {
	parent   *scope
	comp     bool // comprehension: walrus targets bind in the enclosing scope
	bound    map[string]bool
	declared map[string]bool // global/nonlocal: refers outward despite binding
	reads    []string
	children []*scope
}

func newScope(parent *scope, comp bool) *scope {
	s := &scope{parent: parent, comp: comp, bound: map[string]bool{}, declared: map[string]bool{}}
	if parent != nil {
		parent.children = append(parent.children, s)
	}
	return s
}

func (s *scope) bind(name string) { s.bound[name] = true }
func (s *scope) read(name string) { s.reads = append(s.reads, name) }

// free returns the names read in s or its nested scopes that s does not
// bind, plus its global/nonlocal names, in first-use order without repeats.
func (s *scope) free() []string {
	var out []string
	seen := map[string]bool{}
	add := func(n string) {
		if seen[n] || (s.bound[n] && !s.declared[n]) {
			return
		}
		seen[n] = true
		out = append(out, n)
	}
	for _, r := range s.reads {
		add(r)
	}
	// A global/nonlocal name is state outside the function even when it is
	// only written, so it counts as free.
	for _, r := range sortedKeys(s.declared) {
		add(r)
	}
	for _, c := range s.children {
		for _, r := range c.free() {
			add(r)
		}
	}
	return out
}

// functionScope returns the enclosing scope that a walrus target binds in.
func (s *scope) functionScope() *scope {
	for s.comp && s.parent != nil {
		s = s.parent
	}
	return s
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
