package filter

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"os"
	"strings"
)

//go:embed bigcodebench-libraries.txt
var defaultLibraries string

// Rules are the retrieval filter's thresholds and target libraries.
type Rules struct {
	// Libraries are the top-level import names a function must call into.
	Libraries map[string]bool
	// MinLines/MaxLines and MinChars/MaxChars bound the function's code
	// (decorators included); 0 disables a bound.
	MinLines, MaxLines int
	MinChars, MaxChars int
	// MaxClosureLines bounds the lines of same-file definitions (the
	// dependency closure) a function's program adds; 0 disables it.
	MaxClosureLines int
	// AllowHostPaths turns off the hardcoded_path rule.
	AllowHostPaths bool
}

// DefaultMaxClosureLines is the default bound on a closure's lines: as
// much again as the longest function kept.
const DefaultMaxClosureLines = 150

// DefaultRules returns BigCodeBench's 139 libraries and bounds that drop
// one-liners and functions too long for an LLM to test in one reply.
func DefaultRules() Rules {
	libs, err := parseLibraries(strings.NewReader(defaultLibraries))
	if err != nil {
		panic("embedded library list: " + err.Error()) // a build defect, caught by tests
	}
	return Rules{Libraries: libs, MinLines: 3, MaxLines: 150, MinChars: 50, MaxChars: 6000,
		MaxClosureLines: DefaultMaxClosureLines}
}

// LoadLibraries reads a library list: one top-level import name per line;
// blank lines and lines starting with # are ignored.
func LoadLibraries(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open library list: %w", err)
	}
	defer f.Close()
	libs, err := parseLibraries(f)
	if err != nil {
		return nil, fmt.Errorf("read library list %s: %w", path, err)
	}
	return libs, nil
}

func parseLibraries(r io.Reader) (map[string]bool, error) {
	libs := map[string]bool{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.ContainsAny(line, " \t.") {
			return nil, fmt.Errorf("line %d: %q is not a top-level module name", n, line)
		}
		libs[line] = true
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(libs) == 0 {
		return nil, fmt.Errorf("no libraries listed")
	}
	return libs, nil
}
