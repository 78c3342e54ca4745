package pytok

// operators lists multi-character operators, longest first, so the lexer
// can match greedily.
var operators = []string{
	"**=", "//=", ">>=", "<<=", "...",
	"**", "//", "==", "!=", "<=", ">=", "->", "+=", "-=", "*=", "/=", "%=",
	"&=", "|=", "^=", "<<", ">>", ":=", "@=",
}

// op scans an operator or delimiter; any other character becomes a
// one-character operator so unknown input never stops the lexer.
func (lx *lexer) op() {
	rest := lx.src[lx.pos:]
	for _, o := range operators {
		if len(rest) >= len(o) && rest[:len(o)] == o {
			lx.pos += len(o)
			lx.emit(Op, o)
			return
		}
	}
	c := rest[0]
	switch c {
	case '(', '[', '{':
		lx.depth++
	case ')', ']', '}':
		if lx.depth > 0 {
			lx.depth--
		}
	}
	size := 1
	if c >= 0x80 {
		// Keep a non-letter multi-byte rune whole (e.g. a stray '→').
		for size < len(rest) && rest[size]&0xC0 == 0x80 {
			size++
		}
	}
	lx.pos += size
	lx.emit(Op, rest[:size])
}
