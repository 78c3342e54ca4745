package report

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestCardGolden pins the dataset card of fixed synthesize and extract runs.
// Run `go test ./report -run TestCardGolden -update` after an intended
// change and review the diff.
func TestCardGolden(t *testing.T) {
	withCards(t, func(t *testing.T, name, dir string) {
		got, err := os.ReadFile(filepath.Join(dir, CardFile))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "card-"+name+".md")
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("card differs from %s (run with -update after an intended change):\n%s", golden, firstDiff(string(got), string(want)))
		}
	})
}

// withCards runs check, as a subtest, on the fixture synthesize and extract
// run directories after their dataset cards are written.
func withCards(t *testing.T, check func(t *testing.T, name, dir string)) {
	for _, tc := range []struct {
		name string
		dir  func(*testing.T) string
	}{{"synthesize", synthesizeRun}, {"extract", extractRun}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := tc.dir(t)
			r, err := Load(ctx, dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteCard(ctx, r); err != nil {
				t.Fatal(err)
			}
			check(t, tc.name, dir)
		})
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}

// TestCardFrontMatter checks the parts of the card a loader relies on,
// independently of the golden file: the configs point at the shards and
// every field a writer emits is declared.
func TestCardFrontMatter(t *testing.T) {
	r, err := Load(context.Background(), synthesizeRun(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Card(r)
	if err != nil {
		t.Fatal(err)
	}
	card := string(b)
	front, _, ok := strings.Cut(strings.TrimPrefix(card, "---\n"), "\n---\n")
	if !strings.HasPrefix(card, "---\n") || !ok {
		t.Fatal("card has no YAML front matter")
	}
	for _, want := range []string{
		"  - split: train\n    path: data/*.jsonl.zst", "  - split: train\n    path: rejected/*.jsonl.zst",
		"- config_name: rejected", "  - name: history\n    list:\n    - name: round\n      dtype: int64",
		"  - name: libs\n    sequence: string", "  - name: provenance\n    struct:", "    num_examples: 3",
		"license:\n- \"apache-2.0\"\n- \"mit\"\n- \"unknown\"",
	} {
		if !strings.Contains(front, want) {
			t.Errorf("front matter lacks %q", want)
		}
	}
	if strings.Contains(front, "\t") {
		t.Error("front matter contains a tab, which YAML forbids for indentation")
	}
	// Every JSON key of a record is declared as a feature.
	for _, f := range jsonFields(reflect.TypeOf(sample.Record{})) {
		if !strings.Contains(front, "  - name: "+f.name+"\n") {
			t.Errorf("feature %q not declared", f.name)
		}
	}
}
