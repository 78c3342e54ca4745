package pytok

import (
	"strings"
	"testing"
)

// FuzzTokenize checks that any input tokenizes without panicking, that
// token positions lie inside the source in increasing order, and that the
// derived views are computed.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{base, "", "'''", "\"\\", "x = (\n", "\t\tif x:\n  y\n", "\xff\xfe\x00", "r'", "0x", "1e", "a.b(c=d)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		last := -1
		for _, tk := range Tokenize(src) {
			if tk.Pos < last || tk.Pos > len(src) {
				t.Fatalf("token %+v at bad position (last %d, len %d)", tk, last, len(src))
			}
			if (tk.Kind == Name || tk.Kind == Op || tk.Kind == Number) && !strings.HasPrefix(src[tk.Pos:], tk.Text) {
				t.Fatalf("token %+v does not match source at %d", tk, tk.Pos)
			}
			last = tk.Pos
		}
		if len(ExactKey(src)) != 64 {
			t.Fatal("bad key length")
		}
		Features(src, nil)
	})
}
