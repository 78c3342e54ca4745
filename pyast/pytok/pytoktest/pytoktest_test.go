package pytoktest

import (
	"reflect"
	"slices"
	"testing"
)

const src = `def f(a, b=2, *rest):
    total = 0
    for i, x in enumerate(a):
        total += x * b
    with open(p) as fh:
        data = fh.read()
    return g(total, b=b, key=data.strip)
`

func TestBoundNames(t *testing.T) {
	var got []string
	for n := range BoundNames(src) {
		got = append(got, n)
	}
	slices.Sort(got)
	want := []string{"a", "b", "data", "f", "fh", "i", "rest", "total", "x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestRenameBoundAndReindent(t *testing.T) {
	want := `def f_r(a_r, b_r=2, *rest_r):
  total_r = 0
  for i_r, x_r in enumerate(a_r):
    total_r += x_r * b_r
  with open(p) as fh_r:
    data_r = fh_r.read()
  return g(total_r, b=b_r, key=data_r.strip)
`
	if got := Reindent(RenameBound(src, "_r"), 2); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
