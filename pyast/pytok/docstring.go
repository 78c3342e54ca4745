package pytok

// DropDocstrings removes logical lines that consist only of string literals:
// docstrings of modules, classes and functions, and bare string statements,
// which have no effect on behaviour. The line's NEWLINE goes with it; the
// surrounding INDENT/DEDENT tokens stay so block structure is unchanged.
func DropDocstrings(toks []Token) []Token {
	out := make([]Token, 0, len(toks))
	lineStart := 0 // index in out where the current logical line began
	onlyStrings := true
	for _, t := range toks {
		switch t.Kind {
		case Indent, Dedent:
			out = append(out, t)
			lineStart = len(out)
			onlyStrings = true
			continue
		case Newline:
			if onlyStrings && len(out) > lineStart {
				out = out[:lineStart]
			} else {
				out = append(out, t)
			}
			lineStart = len(out)
			onlyStrings = true
			continue
		case String:
		default:
			onlyStrings = false
		}
		out = append(out, t)
	}
	return out
}
