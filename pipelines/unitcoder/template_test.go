package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// templateParam is one parameter of deploy/metadata.json.
type templateParam struct {
	Name       string   `json:"name"`
	Label      string   `json:"label"`
	HelpText   string   `json:"helpText"`
	IsOptional *bool    `json:"isOptional"`
	Regexes    []string `json:"regexes"`
}

// notTemplated are synthesize flags a templated launch cannot use, with
// the reason: two name files on the launcher's local disk (the launcher
// container has none of the user's files), two drive a live display that
// counts only DoFns running in the launching process.
var notTemplated = map[string]string{
	"select_ids":        "read from the launcher's local disk at launch",
	"prompts":           "read from local disk; templates ship the built-in prompts",
	"progress":          "a live display in the launching process; a template launch returns at submission",
	"progress_interval": "tunes --progress",
	"wave_rows":         "waves are the local runner's: a template runs on Dataflow, as one job",
	"wave_mb":           "tunes --wave_rows",
}

// templateBeamFlags are Beam flags a templated launch sets per job, so
// they are template parameters too (gcloud's run command has no flag for them).
var templateBeamFlags = []string{"sdk_container_image", "dataflow_service_options", "resource_hints"}

// requiredParams must be given at every launch.
var requiredParams = []string{"output", "llm_url", "llm_model", "sdk_container_image"}

func readMetadata(t *testing.T) []templateParam {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "metadata.json"))
	if err != nil {
		t.Fatal(err)
	}
	var md struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		Parameters  []templateParam `json:"parameters"`
	}
	// Unknown fields are errors: gcloud drops what it does not know.
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&md); err != nil {
		t.Fatalf("metadata.json: %v", err)
	}
	if md.Name == "" || len(md.Parameters) == 0 {
		t.Fatal("metadata.json has no name or no parameters")
	}
	return md.Parameters
}

// helpDefaults maps each flag `synthesize --help` lists to its default.
func helpDefaults(t *testing.T) map[string]string {
	t.Helper()
	res := runCLI(t, time.Minute, "synthesize", "--help")
	help := res.stdout + res.stderr
	out := map[string]string{}
	def := regexp.MustCompile(`\(default ([^()]*)\)$`)
	lines := strings.Split(help, "\n")
	for i, l := range lines {
		name, ok := strings.CutPrefix(l, "  --")
		if !ok || i+1 >= len(lines) {
			continue
		}
		out[strings.Fields(name)[0]] = ""
		if m := def.FindStringSubmatch(strings.TrimSpace(lines[i+1])); m != nil {
			out[strings.Fields(name)[0]] = m[1]
		}
	}
	if len(out) < 20 {
		t.Fatalf("synthesize --help lists only %d flags:\n%s", len(out), help)
	}
	return out
}

// TestTemplateParametersAreFlags: every metadata.json parameter is a flag
// the binary accepts, every synthesize flag a templated launch can use is
// a parameter, the required ones are not optional, and each parameter's
// regexes compile and accept the flag's default value.
func TestTemplateParametersAreFlags(t *testing.T) {
	params := readMetadata(t)
	flags := helpDefaults(t)
	listed := map[string]templateParam{}
	for _, p := range params {
		if _, dup := listed[p.Name]; dup {
			t.Errorf("parameter %s listed twice", p.Name)
		}
		listed[p.Name] = p
		_, own := flags[p.Name]
		if !own && flag.Lookup(p.Name) == nil {
			t.Errorf("parameter %s is not a flag of the binary", p.Name)
		}
		if p.Label == "" || p.HelpText == "" || p.IsOptional == nil || len(p.Regexes) == 0 {
			t.Errorf("parameter %s lacks a label, help text, isOptional or regexes: %+v", p.Name, p)
		}
		for _, r := range p.Regexes {
			re, err := regexp.Compile(r)
			if err != nil {
				t.Errorf("parameter %s: regex %q: %v", p.Name, r, err)
				continue
			}
			if d := flags[p.Name]; d != "" && !re.MatchString(d) {
				t.Errorf("parameter %s: regex %q rejects the default %q", p.Name, r, d)
			}
		}
	}
	for name := range flags {
		if _, ok := listed[name]; !ok && notTemplated[name] == "" {
			t.Errorf("synthesize flag --%s is not a template parameter", name)
		}
	}
	for name := range notTemplated {
		if _, ok := listed[name]; ok {
			t.Errorf("--%s is a template parameter, but %s", name, notTemplated[name])
		}
	}
	for _, name := range templateBeamFlags {
		if _, ok := listed[name]; !ok {
			t.Errorf("Beam flag --%s is not a template parameter", name)
		}
	}
	for _, name := range requiredParams {
		if p, ok := listed[name]; !ok || p.IsOptional == nil || *p.IsOptional {
			t.Errorf("parameter %s must be listed and required", name)
		}
	}
}

// TestTemplateMetadataBuilds has gcloud itself parse metadata.json into a
// Flex Template spec (--print-only: offline, nothing is uploaded).
func TestTemplateMetadataBuilds(t *testing.T) {
	gcloud, err := exec.LookPath("gcloud")
	if err != nil {
		t.Skip("gcloud is not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, gcloud, "dataflow", "flex-template", "build", "gs://bucket/templates/unitcoder.json",
		"--image=us-docker.pkg.dev/proj/unitcoder/launcher:v1", "--sdk-language=GO",
		"--metadata-file="+filepath.Join("..", "..", "deploy", "metadata.json"), "--print-only").CombinedOutput()
	if err != nil {
		t.Fatalf("gcloud flex-template build --print-only: %v\n%s", err, out)
	}
	for _, p := range readMetadata(t) {
		if !strings.Contains(string(out), `"name": "`+p.Name+`"`) {
			t.Errorf("gcloud's template spec lacks parameter %s", p.Name)
		}
	}
}
