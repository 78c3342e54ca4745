package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/unitcoder/unitcoder/sample"
)

// Fields names the corpus columns that become FileDoc fields. Each entry
// may list alternatives separated by commas; the first one present in a
// row is used, so one mapping reads The Stack v2 rows (license or
// detected_licenses) and UnitCoder stage-1 rows alike.
type Fields struct {
	Content string // required; rows without a string here are rejected
	// ID is the row id column; empty, or absent in a row, means a stable
	// id made from the path and a hash of the content.
	ID      string
	Path    string
	Repo    string
	License string // a string, or a list of strings joined with ","
	Imports string // a list of import lines (UnitCoder's import_code)
	// MaxBytes rejects rows whose content (or JSONL line) is larger, so one
	// huge row cannot exhaust a worker's memory; 0 means DefaultMaxBytes.
	MaxBytes int
}

// DefaultMaxBytes is the row size limit when Fields.MaxBytes is 0.
const DefaultMaxBytes = 4 << 20

// DefaultFields reads The Stack v2-style rows and UnitCoder stage-1 rows.
func DefaultFields() Fields {
	return Fields{
		Content: "content",
		ID:      "id",
		Path:    "path,max_stars_repo_path",
		Repo:    "repo_name,repo,max_stars_repo_name",
		License: "license,detected_licenses,licenses",
		Imports: "import_code",
	}
}

func (f Fields) maxBytes() int {
	if f.MaxBytes > 0 {
		return f.MaxBytes
	}
	return DefaultMaxBytes
}

// lookup returns the first of the comma-separated names present in row.
func lookup(row map[string]any, names string) (any, bool) {
	if names == "" {
		return nil, false
	}
	for _, n := range strings.Split(names, ",") {
		if v, ok := row[strings.TrimSpace(n)]; ok && v != nil {
			return v, true
		}
	}
	return nil, false
}

// text returns a string field, or a list of strings joined with sep.
func text(row map[string]any, names, sep string) string {
	v, _ := lookup(row, names)
	switch x := v.(type) {
	case string:
		return x
	case []string:
		return strings.Join(x, sep)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, sep)
	case float64, int64, int32, bool:
		return fmt.Sprint(x)
	}
	return ""
}

// toDoc maps one decoded row to a FileDoc, or returns a reject reason.
func toDoc(row map[string]any, f Fields, source string) (sample.FileDoc, string, string) {
	v, ok := lookup(row, f.Content)
	if !ok {
		return sample.FileDoc{}, ReasonMissingContent, "no field " + f.Content
	}
	content, ok := v.(string)
	if !ok {
		return sample.FileDoc{}, ReasonContentNotString, fmt.Sprintf("%s is %T", f.Content, v)
	}
	if reason, detail := checkContent(content, f.maxBytes()); reason != "" {
		return sample.FileDoc{}, reason, detail
	}
	doc := sample.FileDoc{
		ID:      text(row, f.ID, ","),
		Path:    text(row, f.Path, ","),
		Repo:    text(row, f.Repo, ","),
		License: text(row, f.License, ","),
		Source:  source,
		Content: content,
	}
	doc.Imports = lines(row, f.Imports)
	if doc.ID == "" {
		doc.ID = stableID(doc.Path, source, content)
	}
	return doc, "", ""
}

func checkContent(content string, max int) (string, string) {
	switch {
	case len(content) > max:
		return ReasonTooLarge, fmt.Sprintf("%d bytes > %d", len(content), max)
	case strings.IndexByte(content, 0) >= 0:
		return ReasonBinary, "NUL byte in content"
	case !utf8.ValidString(content):
		return ReasonInvalidUTF8, ""
	}
	return "", ""
}

// stableID names a row by where it claims to come from and what it holds,
// so re-reading the same corpus gives the same ids.
func stableID(path, source, content string) string {
	if path == "" {
		path = source
	}
	p := sha256.Sum256([]byte(path))
	c := sha256.Sum256([]byte(content))
	return hex.EncodeToString(p[:4]) + "-" + hex.EncodeToString(c[:12])
}

// lines returns an import list, one entry per non-empty line, whether the
// row holds a list of lines (each often ending in a newline) or one string.
func lines(row map[string]any, names string) []string {
	var out []string
	for _, l := range strings.Split(text(row, names, "\n"), "\n") {
		if l = strings.TrimRight(l, "\r"); strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
