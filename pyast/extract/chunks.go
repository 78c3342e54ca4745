package extract

import "bytes"

// chunk is a byte range of the source holding one top-level statement
// (with its decorators); head is where the statement after them begins.
type chunk struct{ start, head, end int }

// selectChunks returns the top-level statements extraction needs: function
// definitions (with their decorators), import statements, and compound
// statements (if/try/with/...) that contain the word import. Parsing only
// these skips class bodies and module-level code, most of a typical file,
// and tree-sitter's parse is nearly all of extraction's cost. skipped maps
// each name a skipped class or assignment statement binds (read
// lexically) to those statements, which a dependency closure parses one by
// one when it needs the name. ok is false when the lexical scan finds
// something it cannot split safely (an unterminated string or unbalanced
// brackets); the caller then parses the whole file, which also reports the
// syntax error.
func selectChunks(src []byte) (chunks []chunk, skipped map[string][]chunk, ok bool) {
	starts, ok := statementStarts(src)
	if !ok {
		return nil, nil, false
	}
	for i := 0; i < len(starts); i++ {
		start := starts[i]
		j := i
		for j < len(starts) && src[starts[j]] == '@' { // decorators belong to what follows
			j++
		}
		end := len(src)
		if j+1 < len(starts) {
			end = starts[j+1]
		}
		head := start
		if j < len(starts) {
			head = starts[j]
		}
		c := chunk{start, head, end}
		if stmt := src[head:end]; keep(stmt) {
			chunks = append(chunks, c)
		} else if names := definedNames(stmt); len(names) > 0 {
			if skipped == nil {
				skipped = map[string][]chunk{}
			}
			for _, n := range names {
				skipped[n] = append(skipped[n], c)
			}
		}
		i = j
	}
	return chunks, skipped, true
}

// keep decides from a statement's first word whether extraction needs it.
func keep(stmt []byte) bool {
	word := firstWord(stmt)
	switch word {
	case "def", "import", "from":
		return true
	case "async":
		return firstWord(bytes.TrimLeft(stmt[len(word):], " \t\\\r\n")) == "def"
	case "if", "try", "with", "for", "while":
		return bytes.Contains(stmt, []byte("import"))
	}
	return false
}

// definedNames reads lexically which names a top-level class statement
// or assignment (`a = ...`, `a, b = ...`, `a: T = ...`, `a += ...`)
// binds; nil for any other statement.
func definedNames(stmt []byte) []string {
	if len(stmt) > 0 && (stmt[0] == '(' || stmt[0] == '[') {
		return bracketedTargets(stmt)
	}
	word := firstWord(stmt)
	if word == "" || word[0] >= '0' && word[0] <= '9' {
		return nil
	}
	if word == "class" {
		if n := firstWord(bytes.TrimLeft(stmt[len(word):], " \t")); n != "" {
			return []string{n}
		}
		return nil
	}
	if keywords[word] {
		return nil
	}
	names := []string{word}
	rest := stmt[len(word):]
	for {
		rest = bytes.TrimLeft(rest, " \t")
		if len(rest) == 0 || rest[0] != ',' {
			break
		}
		rest = bytes.TrimLeft(rest[1:], " \t")
		w := firstWord(rest)
		if w == "" {
			break
		}
		names = append(names, w)
		rest = rest[len(w):]
	}
	switch {
	case len(rest) >= 2 && rest[0] == '=' && rest[1] != '=', len(rest) == 1 && rest[0] == '=':
		// Chained targets: a = b = c = None.
		for {
			rest = bytes.TrimLeft(rest[1:], " \t")
			w := firstWord(rest)
			if w == "" || keywords[w] || w[0] >= '0' && w[0] <= '9' {
				return names
			}
			after := bytes.TrimLeft(rest[len(w):], " \t")
			if len(after) == 0 || after[0] != '=' || (len(after) > 1 && after[1] == '=') {
				return names
			}
			names = append(names, w)
			rest = after
		}
	case len(names) == 1 && len(rest) > 0 && rest[0] == ':':
		return names
	case len(names) == 1 && augmented(rest):
		return names
	}
	return nil
}

// bracketedTargets reads `(a, b) = ...` and `[a, b] = ...`.
func bracketedTargets(stmt []byte) []string {
	closer := byte(')')
	if stmt[0] == '[' {
		closer = ']'
	}
	end := bytes.IndexByte(stmt, closer)
	if end < 0 {
		return nil
	}
	var names []string
	for _, part := range bytes.Split(stmt[1:end], []byte(",")) {
		part = bytes.TrimSpace(part)
		if len(part) == 0 {
			continue
		}
		w := firstWord(part)
		if w == "" || len(w) != len(part) || keywords[w] {
			return nil
		}
		names = append(names, w)
	}
	rest := bytes.TrimLeft(stmt[end+1:], " \t")
	if len(rest) == 0 || rest[0] != '=' || (len(rest) > 1 && rest[1] == '=') {
		return nil
	}
	return names
}

// augmented reports whether b starts with an augmented assignment operator.
func augmented(b []byte) bool {
	for _, op := range []string{"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "//=", "**=", "<<=", ">>="} {
		if bytes.HasPrefix(b, []byte(op)) {
			return true
		}
	}
	return false
}

// keywords are Python's reserved words, which never start an assignment.
var keywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true, "async": true,
	"await": true, "break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true,
	"else": true, "except": true, "finally": true, "for": true, "from": true, "global": true, "if": true,
	"import": true, "in": true, "is": true, "lambda": true, "nonlocal": true, "not": true, "or": true,
	"pass": true, "raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true,
}

func firstWord(b []byte) string {
	i := 0
	for i < len(b) && (b[i] == '_' || b[i] >= 'a' && b[i] <= 'z' || b[i] >= 'A' && b[i] <= 'Z' || b[i] >= '0' && b[i] <= '9') {
		i++
	}
	return string(b[:i])
}

// statementStarts returns the offsets of the lines that begin top-level
// statements: lines starting in column 0 with something other than a
// comment or a clause of the statement before (except, else, ...),
// outside brackets, strings and backslash continuations.
func statementStarts(src []byte) ([]int, bool) {
	var starts []int
	depth, lineStart := 0, true
	for i := 0; i < len(src); {
		c := src[i]
		if lineStart {
			lineStart = false
			if depth == 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '#' && c != '\f' && !isClause(src[i:]) {
				starts = append(starts, i)
			}
		}
		switch {
		case !special[c]:
			for i++; i < len(src) && !special[src[i]]; i++ { // the bulk of the bytes
			}
			continue
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		case c == '\'' || c == '"':
			end, ok := skipString(src, i)
			if !ok {
				return nil, false
			}
			i = end
			continue
		case c == '\\':
			i += 2 // a continuation, or an escaped char outside strings
			if i < len(src) && src[i-1] == '\r' && src[i] == '\n' {
				i++
			}
			continue
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			if depth--; depth < 0 {
				return nil, false
			}
		case c == '\n':
			lineStart = true
		}
		i++
	}
	return starts, depth == 0
}

// special marks the bytes statementStarts must look at.
var special = func() (t [256]bool) {
	for _, c := range []byte("#'\"\\()[]{}\n") {
		t[c] = true
	}
	return t
}()

// isClause reports whether a column-0 line continues the compound
// statement before it (try/except/else/finally, if/elif/else, for/else).
func isClause(line []byte) bool {
	switch firstWord(line) {
	case "except", "else", "elif", "finally":
		return true
	}
	return false
}

// skipString returns the offset after the string literal whose opening
// quote is at i. Prefixes (r, b, f, u) need no handling: a backslash
// always keeps the next character inside the literal, raw or not.
func skipString(src []byte, i int) (int, bool) {
	q := src[i]
	triple := i+2 < len(src) && src[i+1] == q && src[i+2] == q
	if triple {
		i += 3
	} else {
		i++
	}
	for i < len(src) {
		switch c := src[i]; {
		case c == '\\':
			i += 2
			continue
		case c == q:
			if !triple {
				return i + 1, true
			}
			if i+2 < len(src) && src[i+1] == q && src[i+2] == q {
				return i + 3, true
			}
		case c == '\n' && !triple:
			return 0, false
		}
		i++
	}
	return 0, false
}

// source maps a parsed text back to the file it was cut from.
type assembled struct {
	text   []byte
	pieces []piece // in text order; empty when text is the whole file
	// skipped are the skipped statements binding each name (see
	// selectChunks).
	skipped map[string][]chunk
}

type piece struct{ at, orig int } // text offset at and its source offset

// assemble joins the chunks into one text to parse. Each chunk holds whole
// statements, so the joined text parses exactly like those statements did
// in place; a newline is added where a chunk lacks one.
func assemble(src []byte, chunks []chunk) assembled {
	if len(chunks) == 1 && chunks[0].start == 0 && chunks[0].end == len(src) {
		return assembled{text: src}
	}
	var a assembled
	for _, c := range chunks {
		a.pieces = append(a.pieces, piece{at: len(a.text), orig: c.start})
		a.text = append(a.text, src[c.start:c.end]...)
		if n := len(a.text); n > 0 && a.text[n-1] != '\n' {
			a.text = append(a.text, '\n')
		}
	}
	return a
}

// origOffset maps an offset in the assembled text to the source file.
func (a assembled) origOffset(off int) int {
	for i := len(a.pieces) - 1; i >= 0; i-- {
		if p := a.pieces[i]; off >= p.at {
			return p.orig + off - p.at
		}
	}
	return off
}
