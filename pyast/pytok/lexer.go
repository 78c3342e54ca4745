package pytok

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lexer holds the scanning state of Tokenize.
type lexer struct {
	src       string
	pos       int
	depth     int   // bracket nesting; newlines inside brackets are not NEWLINE
	lineStart bool  // at the start of a logical line
	lineToks  bool  // the current logical line has emitted a token
	indents   []int // indentation stack, starts at [0]
	start     int   // offset where the token being scanned began
	out       []Token
}

// Tokenize splits Python source into tokens, dropping comments. It never
// fails; see the package doc for how malformed input is handled.
func Tokenize(src string) []Token {
	lx := &lexer{src: src, lineStart: true, indents: []int{0}}
	for lx.pos < len(lx.src) {
		if lx.lineStart && lx.depth == 0 {
			lx.indentation()
			continue
		}
		lx.next()
	}
	lx.start = len(lx.src)
	if lx.lineToks {
		lx.emit(Newline, "")
	}
	for len(lx.indents) > 1 {
		lx.indents = lx.indents[:len(lx.indents)-1]
		lx.emit(Dedent, "")
	}
	return lx.out
}

func (lx *lexer) emit(k Kind, text string) {
	lx.out = append(lx.out, Token{Kind: k, Text: text, Pos: lx.start})
	if k != Newline && k != Indent && k != Dedent {
		lx.lineToks = true
	}
}

// indentation measures the leading whitespace of a line and emits
// INDENT/DEDENT; blank and comment-only lines do not change the level.
func (lx *lexer) indentation() {
	col, i := 0, lx.pos
	for ; i < len(lx.src); i++ {
		switch lx.src[i] {
		case ' ':
			col++
		case '\t':
			col = (col/8 + 1) * 8
		case '\f', '\r':
		default:
			goto done
		}
	}
done:
	lx.pos = i
	lx.start = i
	lx.lineStart = false
	if i >= len(lx.src) || lx.src[i] == '\n' || lx.src[i] == '#' {
		return
	}
	if col > lx.indents[len(lx.indents)-1] {
		lx.indents = append(lx.indents, col)
		lx.emit(Indent, "")
		return
	}
	// Lenient dedent: pop until the level is not deeper than col, so an
	// inconsistent dedent still yields a usable stream.
	for len(lx.indents) > 1 && col < lx.indents[len(lx.indents)-1] {
		lx.indents = lx.indents[:len(lx.indents)-1]
		lx.emit(Dedent, "")
	}
}

// next scans one token (or skips whitespace, a comment or a newline).
func (lx *lexer) next() {
	lx.start = lx.pos
	c := lx.src[lx.pos]
	switch {
	case c == '\n':
		lx.pos++
		if lx.depth == 0 {
			if lx.lineToks {
				lx.emit(Newline, "")
				lx.lineToks = false
			}
			lx.lineStart = true
		}
	case c == ' ' || c == '\t' || c == '\r' || c == '\f':
		lx.pos++
	case c == '#':
		for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
			lx.pos++
		}
	case c == '\\' && lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '\n':
		lx.pos += 2 // explicit line continuation
	case c == '"' || c == '\'':
		lx.str()
	case isDigit(c) || (c == '.' && lx.pos+1 < len(lx.src) && isDigit(lx.src[lx.pos+1])):
		lx.number()
	case isIdentStart(lx.src[lx.pos:]):
		lx.name()
	default:
		lx.op()
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || unicode.IsLetter(r)
}

func isIdentRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// name scans an identifier, or a prefixed string literal such as rb"..".
func (lx *lexer) name() {
	start := lx.pos
	for lx.pos < len(lx.src) {
		r, size := utf8.DecodeRuneInString(lx.src[lx.pos:])
		if !isIdentRune(r) {
			break
		}
		lx.pos += size
	}
	word := lx.src[start:lx.pos]
	if lx.pos < len(lx.src) && (lx.src[lx.pos] == '"' || lx.src[lx.pos] == '\'') && isStringPrefix(word) {
		lx.str()
		return
	}
	lx.emit(Name, word)
}

func isStringPrefix(w string) bool {
	switch strings.ToLower(w) {
	case "r", "u", "b", "f", "br", "rb", "fr", "rf", "t", "tr", "rt":
		return true
	}
	return false
}

// number scans a numeric literal loosely (digits, letters, '_', '.', and a
// sign right after an exponent marker).
func (lx *lexer) number() {
	start := lx.pos
	hex := strings.HasPrefix(strings.ToLower(lx.src[lx.pos:min(lx.pos+2, len(lx.src))]), "0x")
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		isSign := (c == '+' || c == '-') && !hex && lx.pos > start &&
			(lx.src[lx.pos-1] == 'e' || lx.src[lx.pos-1] == 'E')
		if !(isDigit(c) || c == '.' || c == '_' || isSign ||
			(c|0x20 >= 'a' && c|0x20 <= 'z')) {
			break
		}
		lx.pos++
	}
	lx.emit(Number, lx.src[start:lx.pos])
}

// str scans a string literal starting at the opening quote; its body
// (without quotes) becomes the token text.
func (lx *lexer) str() {
	q := lx.src[lx.pos]
	triple := strings.HasPrefix(lx.src[lx.pos:], strings.Repeat(string(q), 3))
	open := 1
	if triple {
		open = 3
	}
	lx.pos += open
	start := lx.pos
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\\':
			lx.pos += 2
			continue
		case c == '\n' && !triple:
			// Unterminated single-quoted string: stop at the line end.
			lx.emit(String, lx.src[start:lx.pos])
			return
		case c == q && (!triple || strings.HasPrefix(lx.src[lx.pos:], strings.Repeat(string(q), 3))):
			lx.emit(String, lx.src[start:lx.pos])
			lx.pos += open
			return
		}
		lx.pos++
	}
	// Unterminated triple-quoted string (or a trailing backslash): the rest
	// of the file is its body.
	lx.pos = len(lx.src)
	lx.emit(String, lx.src[min(start, len(lx.src)):])
}
