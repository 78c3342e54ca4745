package pytok

import (
	"crypto/sha256"
	"encoding/hex"
)

// Placeholder replaces local identifiers in Features.
const Placeholder = "ID"

// ExactKey returns a hex SHA-256 over the token stream of code with comments
// and docstrings dropped and layout (NEWLINE/INDENT/DEDENT) kept. Identifiers
// are not renamed; see the package doc.
func ExactKey(code string) string {
	h := sha256.New()
	for _, t := range DropDocstrings(Tokenize(code)) {
		// Kind byte + text + NUL keeps the encoding unambiguous, so e.g. the
		// string "x" and the name x never collide.
		h.Write([]byte{byte(t.Kind)})
		h.Write([]byte(t.Text))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Feature is one token of the feature view. Local is set for identifiers
// the code could rename freely; Text then holds the original name.
type Feature struct {
	Text  string
	Local bool
}

// Features returns the tokens of code (comments, docstrings and layout
// dropped) with every local identifier (see FeatureTokens) replaced by
// Placeholder.
func Features(code string, keep map[string]bool) []string {
	fts := FeatureTokens(code, keep)
	out := make([]string, len(fts))
	for i, f := range fts {
		out[i] = f.Text
		if f.Local {
			out[i] = Placeholder
		}
	}
	return out
}

// FeatureTokens returns the tokens of code with comments, docstrings and
// layout dropped. An identifier is Local unless it is reserved
// (IsReserved), in keep, an attribute name (after '.'), or a
// keyword-argument name in a call (name '=' inside brackets, outside a def
// or lambda header). String tokens are prefixed with a double quote so a
// string never equals a name.
func FeatureTokens(code string, keep map[string]bool) []Feature {
	toks := DropDocstrings(Tokenize(code))
	out := make([]Feature, 0, len(toks))
	depth, inDef, defDepth := 0, false, 0
	for i, t := range toks {
		switch t.Kind {
		case Newline, Indent, Dedent:
			inDef = false
			continue
		case String:
			out = append(out, Feature{Text: `"` + t.Text})
			continue
		case Op:
			depth = trackDepth(t.Text, depth)
			if t.Text == ":" && inDef && depth == defDepth {
				inDef = false // the header of a def or lambda ends here
			}
			out = append(out, Feature{Text: t.Text})
			continue
		case Number:
			out = append(out, Feature{Text: t.Text})
			continue
		}
		if t.Text == "def" || t.Text == "lambda" {
			inDef, defDepth = true, depth
		}
		out = append(out, Feature{Text: t.Text, Local: !keepName(toks, i, depth, inDef, keep)})
	}
	return out
}

func trackDepth(op string, depth int) int {
	switch op {
	case "(", "[", "{":
		return depth + 1
	case ")", "]", "}":
		return max(depth-1, 0)
	}
	return depth
}

// keepName decides whether the name at toks[i] stays visible in Features.
func keepName(toks []Token, i, depth int, inDef bool, keep map[string]bool) bool {
	name := toks[i].Text
	if reserved[name] || keep[name] {
		return true
	}
	if i > 0 && toks[i-1].Kind == Op && toks[i-1].Text == "." {
		return true
	}
	isKwarg := depth > 0 && !inDef && i+1 < len(toks) &&
		toks[i+1].Kind == Op && toks[i+1].Text == "="
	return isKwarg
}
