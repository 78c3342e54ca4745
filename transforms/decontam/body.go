package decontam

import (
	"hash/fnv"
	"strconv"

	"github.com/unitcoder/unitcoder/pyast/pytok"
)

// span is one module-level def (or async def) statement of a source text,
// code[start:end], decorators excluded.
type span struct {
	name       string
	start, end int
}

// topLevelDefs returns the module-level function definitions of code in
// source order. A definition runs from its def (or async) keyword to the
// next module-level statement; decorator lines are statements of their
// own, so they are not part of it.
func topLevelDefs(code string) []span {
	toks := pytok.Tokenize(code)
	var out []span
	level, open, atStart := 0, -1, true
	for i, t := range toks {
		switch t.Kind {
		case pytok.Newline:
			atStart = true
			continue
		case pytok.Indent:
			level++
			continue
		case pytok.Dedent:
			level--
			continue
		}
		if !atStart {
			continue
		}
		atStart = false
		if level != 0 {
			continue
		}
		if open >= 0 {
			out[open].end = t.Pos
			open = -1
		}
		if name, ok := defName(toks, i); ok {
			out = append(out, span{name: name, start: t.Pos, end: len(code)})
			open = len(out) - 1
		}
	}
	return out
}

// defName reports the name of the function whose statement starts at
// toks[i] with "def NAME" or "async def NAME".
func defName(toks []pytok.Token, i int) (string, bool) {
	isName := func(j int, text string) bool {
		return j < len(toks) && toks[j].Kind == pytok.Name && (text == "" || toks[j].Text == text)
	}
	if isName(i, "async") {
		i++
	}
	if isName(i, "def") && isName(i+1, "") {
		return toks[i+1].Text, true
	}
	return "", false
}

// entryDef picks a task's entry function among its module-level defs: the
// one named entry, else the last one. ok is false when there is none.
func entryDef(defs []span, entry string) (span, bool) {
	if len(defs) == 0 {
		return span{}, false
	}
	if entry != "" {
		for _, d := range defs {
			if d.name == entry {
				return d, true
			}
		}
	}
	return defs[len(defs)-1], true
}

// BodyKey returns the body rule's key of the first module-level def in
// code, or ok false when code has none; see [Index.MatchRule].
func BodyKey(code string) (key uint64, ok bool) {
	defs := topLevelDefs(code)
	if len(defs) == 0 {
		return 0, false
	}
	return defKey(code[defs[0].start:defs[0].end]), true
}

// defKey hashes the feature tokens of one def statement (comments,
// docstrings and layout dropped). The function's own name becomes a fixed
// marker wherever it appears as a local name (recursion), and every other
// local name is numbered by first appearance in the whole function, so
// renaming and reformatting keep the key while "a - b" and "b - a" do not.
func defKey(def string) uint64 { return keyOf(pytok.FeatureTokens(def, nil)) }

func keyOf(fts []pytok.Feature) uint64 {
	own, ownAt := "", -1
	for i, f := range fts {
		if f.Text == "def" && !f.Local && i+1 < len(fts) {
			own, ownAt = fts[i+1].Text, i+1
			break
		}
	}
	local := map[string]int{}
	buf := make([]byte, 0, 8*len(fts))
	for i, f := range fts {
		switch {
		case i == ownAt || (f.Local && f.Text == own):
			buf = append(buf, "$f"...)
		case f.Local:
			k, ok := local[f.Text]
			if !ok {
				k = len(local)
				local[f.Text] = k
			}
			buf = append(buf, '$')
			buf = strconv.AppendInt(buf, int64(k), 10)
		default:
			buf = append(buf, f.Text...)
		}
		buf = append(buf, 0)
	}
	h := fnv.New64a()
	h.Write(buf)
	return h.Sum64()
}
