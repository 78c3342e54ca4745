package pytok

// Kind classifies a token.
type Kind uint8

// Token kinds. Newline ends a logical line; Indent and Dedent mark block
// structure the way Python's own tokenizer does.
const (
	Name Kind = iota
	Number
	String
	Op
	Newline
	Indent
	Dedent
)

// Token is one lexical token. For String tokens Text is the literal's body
// without prefix and quotes, so quote style does not matter.
type Token struct {
	Kind Kind
	Text string
	Pos  int // byte offset of the token's first character in the source
}

// IsLayout reports whether the token only describes line structure.
func (t Token) IsLayout() bool {
	return t.Kind == Newline || t.Kind == Indent || t.Kind == Dedent
}
