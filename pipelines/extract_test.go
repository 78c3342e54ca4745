package pipelines

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/unitcoder/unitcoder/io/corpus"
	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/pyast/filter"
	"github.com/unitcoder/unitcoder/pyast/pytok"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/decontam"
	"github.com/unitcoder/unitcoder/transforms/retrieval"
)

// stage1Row is a row of the authors' stage1_functions.jsonl.
type stage1Row = testfixtures.Stage1Row

// runExtract runs the extract pipeline on prism and reads its outputs back.
func runExtract(t *testing.T, o ExtractOptions) runstats.Stats {
	t.Helper()
	if o.Retrieval.Fields.Content == "" {
		o.Retrieval.Fields = corpus.DefaultFields()
	}
	if o.Shards == 0 {
		o.Shards = 2
	}
	p, s := beam.NewPipelineWithRoot()
	Extract(s, o)
	res, err := ptest.RunWithMetrics(p)
	if err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	st, err := runstats.ExtractStats(context.Background(), o.Output, res)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// endings maps every function id in a run's outputs to where it ended:
// "data" or "stage/reason". A function id ending twice fails the test.
func endings(t *testing.T, dir string) (map[string]string, []runstats.FunctionOut, []sample.Rejected) {
	t.Helper()
	kept, rejected := outputs[runstats.FunctionOut](t, dir)
	end := map[string]string{}
	add := func(id, where string) {
		if prev, ok := end[id]; ok {
			t.Errorf("function %s ended twice: %s and %s", id, prev, where)
		}
		end[id] = where
	}
	for _, f := range kept {
		add(f.ID, "data")
	}
	for _, r := range rejected {
		if r.Unit == sample.UnitFunction {
			add(r.ID, string(r.Stage)+"/"+r.Reason)
		}
	}
	return end, kept, rejected
}

// expectedFunctionIDs extracts docs in-process, the reference the pipeline's
// outputs are checked against.
func expectedFunctionIDs(t *testing.T, docs []sample.FileDoc) []string {
	t.Helper()
	var ids []string
	for _, d := range docs {
		fs, _ := extract.Extract(d, extract.DefaultOptions())
		for _, f := range fs {
			ids = append(ids, f.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

func stage1Docs(rows []stage1Row) []sample.FileDoc {
	docs := make([]sample.FileDoc, len(rows))
	for i, r := range rows {
		docs[i] = sample.FileDoc{ID: r.ID, Content: r.Content, Imports: r.ImportCode}
	}
	return docs
}

// checkEveryFunctionEndsOnce fails unless the run's function ids are
// exactly want, each ending once.
func checkEveryFunctionEndsOnce(t *testing.T, end map[string]string, want []string) {
	t.Helper()
	got := make([]string, 0, len(end))
	for id := range end {
		got = append(got, id)
	}
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("function ids in outputs (%d) differ from the ids extraction finds (%d)", len(got), len(want))
	}
}

// TestExtractUnitCoderDemo runs extract on the authors' 860 stage-1 rows
// and pins the funnel: every count below was observed on this data and a
// change to any rule shows up here.
func TestExtractUnitCoderDemo(t *testing.T) {
	input := testfixtures.Stage1Path(t)
	out := t.TempDir()
	modules, err := sandbox.InstalledModules(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	st := runExtract(t, ExtractOptions{Retrieval: retrieval.Params{Input: input, Modules: modules}, Output: out})
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
	if st.Files.In != 860 || st.Files.Accepted != 860 || st.Files.RejectedTotal != 0 {
		t.Errorf("files: in %d, parsed %d, rejected %v; want 860, 860, none", st.Files.In, st.Files.Accepted, st.Files.Rejected)
	}
	// The import check rejects five functions that import modules Debian's
	// Python lacks (before it, they reached test generation and failed as
	// env_error). Closures rescue none here: each stage-1 row is one
	// function cut from its file, so the helpers and globals that make 153
	// of them not self-contained are not in the corpus.
	if st.Functions.In != 860 || st.Functions.Accepted != 314 {
		t.Errorf("functions: found %d, kept %d; want 860, 314", st.Functions.In, st.Functions.Accepted)
	}
	want := map[string]map[string]int{
		"filter": {"no_target_library": 352, "not_self_contained": 153, "too_short": 29, "hardcoded_path": 3},
		"load": {"env:missing_module:Crypto": 1, "env:missing_module:keras": 2, "env:missing_module:tensorflow": 1,
			"env:missing_module:wikipedia": 1},
		"dedup": {"near_duplicate": 4},
	}
	if !reflect.DeepEqual(st.Functions.Rejected, want) {
		t.Errorf("function rejects %v, want %v", st.Functions.Rejected, want)
	}
	end, kept, _ := endings(t, out)
	checkEveryFunctionEndsOnce(t, end, expectedFunctionIDs(t, stage1Docs(readJSONL[stage1Row](t, input))))
	for _, f := range kept {
		if f.Code == "" || len(f.Libs) == 0 || len(f.APIs) == 0 || f.Provenance.FileID == "" {
			t.Errorf("%s: incomplete function row %+v", f.ID, f)
		}
	}
	// stats.json's funnel must tell the same story as the reject counts.
	wantFunnel := []runstats.FunnelStep{{Stage: "files_in", Count: 860}, {Stage: "files_read", Count: 860}, {Stage: "files_parsed", Count: 860},
		{Stage: "functions_found", Count: 860}, {Stage: "filter", Count: 323}, {Stage: "load", Count: 318}, {Stage: "dedup", Count: 314}, {Stage: "decontaminate", Count: 314}}
	if !reflect.DeepEqual(st.Funnel, wantFunnel) {
		t.Errorf("funnel %v, want %v", st.Funnel, wantFunnel)
	}
}

// compressBytes returns data gzip- or zstd-compressed.
func compressBytes(t *testing.T, kind string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	if kind == "gz" {
		w = gzip.NewWriter(&buf)
	} else {
		zw, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w = zw
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// goodRows returns n JSON lines, each a small file whose one function
// calls numpy and passes every filter rule, with ids prefix-0, prefix-1...
func goodRows(prefix string, n int) []byte { return paddedRows(prefix, n, 0) }

// paddedRows is goodRows with pad bytes of incompressible comment per
// row, so that a compressed file spans many compression blocks.
func paddedRows(prefix string, n, pad int) []byte {
	var b bytes.Buffer
	h := sha256.Sum256([]byte(prefix))
	for i := 0; i < n; i++ {
		var comment strings.Builder
		for comment.Len() < pad {
			h = sha256.Sum256(h[:])
			comment.WriteString("# " + hex.EncodeToString(h[:]) + "\n")
		}
		src := comment.String() + fmt.Sprintf("import numpy as np\n\n\ndef scaled_%[1]d_%[2]d(values, factor):\n    arr = np.asarray(values, dtype=float)\n    total = arr.sum() * factor + %[2]d\n    return total / (len(arr) + %[2]d)\n", i, len(prefix)+i*7)
		line, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("%s-%d", prefix, i), "content": src, "path": prefix + ".py"})
		b.Write(append(line, '\n'))
	}
	return b.Bytes()
}

func writeCorpusFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExtractCorruptInputsBecomeRejects feeds one directory of broken
// corpus files through the pipeline: each defect must become a reject with
// its reason, the good rows around it must survive, and every row and
// function must still be accounted for.
func TestExtractCorruptInputsBecomeRejects(t *testing.T) {
	dir := t.TempDir()
	// Cut mid-stream: the rows before the cut are read, the rest is one
	// truncated_stream reject.
	gz := compressBytes(t, "gz", goodRows("gz", 40))
	writeCorpusFile(t, filepath.Join(dir, "cut.jsonl.gz"), gz[:len(gz)*2/3])
	// A zstd block (up to 128 KiB) decodes whole or not at all, so these
	// rows are padded to span several blocks.
	zs := compressBytes(t, "zst", paddedRows("zst", 40, 16<<10))
	writeCorpusFile(t, filepath.Join(dir, "cut.jsonl.zst"), zs[:len(zs)*2/3])
	// Two broken JSON lines between good ones.
	bad := append(goodRows("json", 2), []byte("{\"id\": \"x\", \"content\": \"def f(\n[1, 2\n")...)
	writeCorpusFile(t, filepath.Join(dir, "badjson.jsonl"), append(bad, goodRows("json-after", 1)...))
	// Raw invalid UTF-8 inside the content string.
	writeCorpusFile(t, filepath.Join(dir, "utf8.jsonl"), []byte("{\"id\":\"latin1\",\"content\":\"def f(x):\\n    return 'caf\xe9'\\n\"}\n"))
	// One 50 MB row: rejected by size without being held whole.
	huge := bytes.Repeat([]byte("# padding padding padding padding\n"), 50<<20/34)
	hugeLine, _ := json.Marshal(map[string]string{"id": "huge", "content": "import numpy as np\n" + string(huge)})
	writeCorpusFile(t, filepath.Join(dir, "huge.jsonl"), append(hugeLine, '\n'))
	// Python 2 reads fine and is rejected by extraction.
	py2, _ := json.Marshal(map[string]string{"id": "py2", "content": "import os\n\ndef main(argv):\n    print \"usage: %s\" % argv[0]\n    return os.EX_USAGE\n"})
	writeCorpusFile(t, filepath.Join(dir, "py2.jsonl"), append(py2, '\n'))

	out := t.TempDir()
	st := runExtract(t, ExtractOptions{Retrieval: retrieval.Params{Input: filepath.Join(dir, "*")}, Output: out})
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
	end, _, rejected := endings(t, out)
	got := map[string][]string{}
	for _, r := range rejected {
		if r.Unit == sample.UnitFile {
			key := string(r.Stage) + "/" + r.Reason
			got[key] = append(got[key], filepath.Base(r.ID))
		}
	}
	for key := range got {
		sort.Strings(got[key])
	}
	want := map[string][]string{
		"read/truncated_stream": {"cut.jsonl.gz", "cut.jsonl.zst"},
		"read/invalid_json":     {"badjson.jsonl#3", "badjson.jsonl#4"},
		"read/invalid_utf8":     {"utf8.jsonl#1"},
		"read/too_large":        {"huge.jsonl#1"},
		"extract/python2":       {"py2"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("file rejects\n got %v\nwant %v", got, want)
	}
	// Rows before each cut survive: some, but not all 40, of each file
	// reach extraction (and end in data/ or as function rejects).
	gzKept, zstKept := 0, 0
	for id := range end {
		switch {
		case strings.HasPrefix(id, "gz-"):
			gzKept++
		case strings.HasPrefix(id, "zst-"):
			zstKept++
		}
	}
	if gzKept == 0 || gzKept >= 40 || zstKept == 0 || zstKept >= 40 {
		t.Errorf("kept %d gz and %d zst rows before the cuts, want some but not all 40", gzKept, zstKept)
	}
	if st.Files.In != st.Files.Accepted+st.Files.RejectedTotal || st.Files.RejectedTotal != 7 {
		t.Errorf("files %+v, want 7 rejects", st.Files)
	}
	t.Logf("files %+v; functions %+v", st.Files, st.Functions)
}

// pythonStdlib is Debian's Python standard library: a real corpus that no
// one here wrote, packed by corpus.PackStdlib.
const pythonStdlib = "/usr/lib/python3.11"

// runOutputs is a run's outputs in a form comparable across inputs: kept
// rows and rejects as sorted JSON lines, with the input-specific source
// path left out.
func runOutputs(t *testing.T, dir string) (kept, rejected []string) {
	t.Helper()
	data, rej := outputs[runstats.FunctionOut](t, dir)
	for _, f := range data {
		f.Provenance.Source = ""
		b, _ := json.Marshal(f)
		kept = append(kept, string(b))
	}
	for _, r := range rej {
		b, _ := json.Marshal(r)
		rejected = append(rejected, string(b))
	}
	sort.Strings(kept)
	sort.Strings(rejected)
	return kept, rejected
}

// TestExtractStdlibSameFromJSONLParquetAndGCS packs the standard library
// as JSONL.zst and as Parquet shards, serves both from a GCS emulator, and
// checks that all three inputs give the same kept functions and rejects.
func TestExtractStdlibSameFromJSONLParquetAndGCS(t *testing.T) {
	if _, err := os.Stat(pythonStdlib); err != nil {
		t.Skipf("no Debian Python standard library: %v", err)
	}
	packed := t.TempDir()
	jz, pq, err := corpus.PackStdlib(packed, pythonStdlib, 3)
	if err != nil {
		t.Fatal(err)
	}
	// The ids every run must account for, from the rows read in-process.
	var docs []sample.FileDoc
	for _, p := range jz {
		if _, err := corpus.ReadFile(context.Background(), p, corpus.DefaultFields(),
			func(d sample.FileDoc) { docs = append(docs, d) }, func(sample.Rejected) {}); err != nil {
			t.Fatal(err)
		}
	}
	want := expectedFunctionIDs(t, docs)
	startFakeGCS(t, "corpus", "stdlib", append(jz, pq...))
	inputs := []string{
		filepath.Join(packed, "*.jsonl.zst"),
		filepath.Join(packed, "*.parquet"),
		"gs://corpus/stdlib/*.jsonl.zst",
		"gs://corpus/stdlib/*.parquet",
	}
	var firstKept, firstRejected []string
	for i, in := range inputs {
		out := t.TempDir()
		st := runExtract(t, ExtractOptions{Retrieval: retrieval.Params{Input: in}, Output: out})
		if err := st.Check(); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		kept, rejected := runOutputs(t, out)
		end, _, _ := endings(t, out)
		checkEveryFunctionEndsOnce(t, end, want)
		t.Logf("%s: files %d in, %d parsed %v; functions %d found, %d kept %v", in, st.Files.In, st.Files.Accepted,
			st.Files.Rejected, st.Functions.In, st.Functions.Accepted, st.Functions.Rejected)
		if i == 0 {
			firstKept, firstRejected = kept, rejected
			if st.Files.In < 500 || len(kept) == 0 || st.Files.Rejected["read"] != nil {
				t.Fatalf("%s: %d files in, %d kept, read rejects %v", in, st.Files.In, len(kept), st.Files.Rejected["read"])
			}
			// In waves of one file each: the same bytes, the same accounting.
			o := ExtractOptions{Retrieval: retrieval.Params{Input: in}, Output: t.TempDir()}
			sameAccounting(t, st, runExtractInWaves(t, o, 1, 3))
			sameFiles(t, out, o.Output)
			continue
		}
		if !reflect.DeepEqual(kept, firstKept) {
			t.Errorf("%s: %d kept rows differ from %s's %d", in, len(kept), inputs[0], len(firstKept))
		}
		if !reflect.DeepEqual(rejected, firstRejected) {
			t.Errorf("%s: %d rejects differ from %s's %d", in, len(rejected), inputs[0], len(firstRejected))
		}
	}
}

// startFakeGCS serves files as gs://bucket/prefix/<name> from an in-process
// fake-gcs-server on loopback and points every GCS client made from the
// environment at it, as workers would find a real emulator: both Beam's
// gs:// filesystem (used by fileio.MatchFiles) and io/corpus.
func startFakeGCS(t *testing.T, bucket, prefix string, files []string) {
	t.Helper()
	testfixtures.FakeGCSFiles(t, bucket, prefix, files)
	corpus.SetStorageClient(nil)
	t.Cleanup(func() { corpus.SetStorageClient(nil) })
}

var importLine = regexp.MustCompile(`^(import [\w.]+|from [\w.]+ import [\w, ]+)$`)

// hoistImports moves import lines nested in a function to the top of the
// file. No HumanEval solution calls a module-level import, so none passes
// the retrieval filter as written; the eight that import inside the body
// are how a copied solution looks once a linter has moved its imports up.
func hoistImports(code string) (string, bool) {
	var imports, body []string
	for _, l := range strings.Split(code, "\n") {
		trimmed := strings.TrimSpace(l)
		if l != trimmed && importLine.MatchString(trimmed) {
			imports = append(imports, trimmed)
			continue
		}
		body = append(body, l)
	}
	return strings.Join(imports, "\n") + "\n\n\n" + strings.Join(body, "\n"), len(imports) > 0
}

// keptInProcess reports whether doc's function passes extraction and the
// retrieval filter, checked in-process to choose what to plant.
func keptInProcess(t *testing.T, doc sample.FileDoc) (sample.Function, bool) {
	t.Helper()
	fs, _ := extract.Extract(doc, extract.DefaultOptions())
	rules, err := retrieval.FilterParams{}.Rules()
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 {
		return sample.Function{}, false
	}
	_, ok := filter.Check(fs[0], rules)
	return fs[0], ok
}

var identifier = regexp.MustCompile(`[A-Za-z_]\w*`)

// assigned finds names bound by simple assignments at the start of a line.
var assigned = regexp.MustCompile(`(?m)^\s+([A-Za-z_]\w*)\s*=[^=]`)

// renameAndReformat copies f's code the way a copy-paste in another repo
// looks: its parameters, simple locals and name changed, its indentation
// halved, a comment and blank lines added. Attribute names and keyword
// arguments of calls keep their names, since they belong to the API.
// Names that shadow a builtin (a parameter called input) keep theirs too:
// dedup's tokenizer is lexical and always reads them as the builtin, so
// renaming them is a change it sees (measured: two of five short demo
// functions then fall below the 0.8 threshold).
func renameAndReformat(f sample.Function) string {
	names := map[string]string{f.Name: f.Name + "_copy"}
	for _, p := range f.Shape.Params {
		names[p] = "renamed_" + p
	}
	for _, m := range assigned.FindAllStringSubmatch(f.Code, -1) {
		if m[1] == f.Name {
			// A local named like its function (rand_array = ...; return
			// rand_array) would be renamed apart from it: no clean copy.
			return ""
		}
		names[m[1]] = "renamed_" + m[1]
	}
	for n := range names {
		if pytok.IsReserved(n) {
			delete(names, n)
		}
	}
	header := strings.Index(f.Code, ":\n") + 2
	var b strings.Builder
	last := 0
	for _, m := range identifier.FindAllStringIndex(f.Code, -1) {
		name := f.Code[m[0]:m[1]]
		repl, ok := names[name]
		rest := strings.TrimLeft(f.Code[m[1]:], " ")
		kwarg := m[0] >= header && strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==")
		if !ok || (m[0] > 0 && f.Code[m[0]-1] == '.') || kwarg {
			continue
		}
		b.WriteString(f.Code[last:m[0]] + repl)
		last = m[1]
	}
	b.WriteString(f.Code[last:])
	var out []string
	for i, l := range strings.Split(b.String(), "\n") {
		n := len(l) - len(strings.TrimLeft(l, " "))
		if n%4 == 0 {
			l = l[n/2:]
		}
		out = append(out, l)
		if i == 0 {
			out = append(out, "  # adapted from a snippet found online", "")
		}
	}
	return strings.Join(out, "\n")
}

// TestExtractPlantedBenchmarkAndDuplicates plants HumanEval solutions and
// copies of kept functions among the authors' 860 stage-1 rows: the
// solutions must end at decontaminate naming their task, the copies at
// dedup naming their original, and nothing else may change.
// plantedCorpus is the demo's rows plus planted copies: the 7 HumanEval
// solutions that pass the filter once their imports are hoisted (for
// decontamination), and copies of 6 kept functions (one exact, five
// renamed and reformatted). want maps each planted function's id to how it
// must end ("stage/reason detail"); originals are the copied functions.
func plantedCorpus(t *testing.T) (rows, planted []stage1Row, want map[string]string, originals map[string]bool) {
	t.Helper()
	rows = readJSONL[stage1Row](t, testfixtures.Stage1Path(t))
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
	want = map[string]string{} // planted function id -> "stage/reason detail"
	for _, task := range testfixtures.HumanEval(t) {
		code, ok := hoistImports(task.Prompt + task.CanonicalSolution)
		doc := sample.FileDoc{ID: "zz-he-" + strings.ReplaceAll(task.TaskID, "/", "-"), Content: code}
		_, kept := keptInProcess(t, doc)
		if kept && !ok {
			t.Errorf("%s passes the filter as written; the planting below assumes none does", task.TaskID)
		}
		if kept && ok {
			planted = append(planted, stage1Row{ID: doc.ID, Content: code})
			want[doc.ID+"_0"] = "decontaminate/benchmark_overlap " + task.TaskID
		}
	}
	if len(planted) != 7 {
		t.Fatalf("%d HumanEval solutions pass the filter once imports are hoisted, want 7 (25, 26, 91, 99, 115, 133, 162)", len(planted))
	}
	// Copies of the first kept functions: renamed and reformatted ones are
	// near duplicates; a verbatim copy with comments is an exact one. The
	// "zz-" ids sort after the originals, so the copies are the ones dropped.
	originals = map[string]bool{}
	for _, r := range rows {
		f, kept := keptInProcess(t, sample.FileDoc{ID: r.ID, Content: r.Content, Imports: r.ImportCode})
		if !kept || len(originals) == 6 {
			continue
		}
		copyRow := stage1Row{ID: "zz-near-" + r.ID, Content: renameAndReformat(f), ImportCode: f.Imports}
		reason := "dedup/near_duplicate "
		if !strings.Contains(copyRow.Content, "renamed_") { // also "" from renameAndReformat
			continue // nothing to rename: not the case this plants
		}
		if len(originals) == 0 {
			copyRow = stage1Row{ID: "zz-exact-" + r.ID, ImportCode: r.ImportCode,
				Content: "# vendored copy\n" + strings.Replace(r.Content, "\n", "\n\n", 1)}
			reason = "dedup/exact_duplicate "
		}
		if _, ok := keptInProcess(t, sample.FileDoc{ID: copyRow.ID, Content: copyRow.Content, Imports: copyRow.ImportCode}); !ok {
			continue // the rewrite broke it; it would test nothing
		}
		originals[f.ID] = true
		planted = append(planted, copyRow)
		want[copyRow.ID+"_0"] = reason + f.ID
		if testing.Verbose() {
			t.Logf("planted %s:\n%s", copyRow.ID, copyRow.Content)
		}
	}
	if len(originals) != 6 {
		t.Fatalf("planted %d copies, want 6", len(originals))
	}
	return rows, planted, want, originals
}

func TestExtractPlantedBenchmarkAndDuplicates(t *testing.T) {
	rows, planted, want, originals := plantedCorpus(t)
	// The planted copies come first, in a file of their own, and the demo
	// rows after them in three more: in waves of one file each, every
	// copy is met a wave before the function it copies, which survives
	// because its id is smaller.
	dir := t.TempDir()
	files := [][]stage1Row{planted}
	for k := range 3 {
		files = append(files, rows[k*len(rows)/3:(k+1)*len(rows)/3])
	}
	for k, part := range files {
		var corpusLines bytes.Buffer
		for _, r := range part {
			b, _ := json.Marshal(r)
			corpusLines.Write(append(b, '\n'))
		}
		writeCorpusFile(t, filepath.Join(dir, fmt.Sprintf("corpus-%d.jsonl", k)), corpusLines.Bytes())
	}
	out := t.TempDir()
	o := ExtractOptions{Output: out, Retrieval: retrieval.Params{Input: filepath.Join(dir, "*.jsonl"),
		Decontaminate: decontam.Params{Paths: []string{testfixtures.HumanEvalPath(t)}}}}
	st := runExtract(t, o)
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
	// Waves: the same bytes and the same accounting as one job.
	o.Output = t.TempDir()
	sameAccounting(t, st, runExtractInWaves(t, o, 1, 4))
	sameFiles(t, out, o.Output)
	end, _, rejected := endings(t, out)
	checkEveryFunctionEndsOnce(t, end, expectedFunctionIDs(t, stage1Docs(append(rows, planted...))))
	details := map[string]string{}
	for _, r := range rejected {
		details[r.ID] = r.Detail
	}
	for id, w := range want {
		got := end[id]
		if d := details[id]; d != "" {
			got += " " + strings.Fields(d)[0] // near_duplicate details end in jaccard=…
		}
		if got != w {
			t.Errorf("planted %s ended as %q, want %q", id, got, w)
		}
	}
	for id := range originals {
		if end[id] != "data" {
			t.Errorf("original %s ended as %s, want data", id, end[id])
		}
	}
	// The planted rows change nothing else: the demo's own funnel holds.
	wantRejected := map[string]map[string]int{
		"filter":        {"no_target_library": 352, "not_self_contained": 153, "too_short": 29, "hardcoded_path": 3},
		"dedup":         {"near_duplicate": 4 + 5, "exact_duplicate": 1},
		"decontaminate": {"benchmark_overlap": 7},
	}
	if !reflect.DeepEqual(st.Functions.Rejected, wantRejected) || st.Functions.Accepted != 319 {
		t.Errorf("kept %d, rejects %v; want 319, %v", st.Functions.Accepted, st.Functions.Rejected, wantRejected)
	}
}
