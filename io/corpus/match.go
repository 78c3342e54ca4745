package corpus

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"
)

// ErrNoMatch is returned by Match when a pattern names no file.
var ErrNoMatch = errors.New("no files match")

// Match expands a comma-separated list of local paths, local globs and
// gs://bucket/glob patterns (path.Match syntax within the object name)
// into a sorted, de-duplicated list of files.
func Match(ctx context.Context, pattern string) ([]string, error) {
	files, err := matchFiles(ctx, pattern)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.path
	}
	return out, nil
}

// matchedFile is one file a pattern names, with its stored size where the
// listing gave it (gs://; -1 for local files, which are not stat'ed).
type matchedFile struct {
	path string
	size int64
}

// matchFiles is Match, keeping the sizes a gs:// listing returns.
func matchFiles(ctx context.Context, pattern string) ([]matchedFile, error) {
	seen := map[string]bool{}
	var out []matchedFile
	for _, p := range strings.Split(pattern, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		var got []matchedFile
		if _, _, ok := splitGCS(p); ok {
			var err error
			if got, err = matchGCS(ctx, p); err != nil {
				return nil, err
			}
		} else {
			paths, err := filepath.Glob(p)
			if err != nil {
				return nil, fmt.Errorf("glob %s: %w", p, err)
			}
			for _, g := range paths {
				got = append(got, matchedFile{path: g, size: -1})
			}
		}
		if len(got) == 0 {
			return nil, fmt.Errorf("%s: %w", p, ErrNoMatch)
		}
		for _, g := range got {
			if !seen[g.path] {
				seen[g.path] = true
				out = append(out, g)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

// matchGCS lists the objects under the pattern's literal prefix and keeps
// those the pattern matches.
func matchGCS(ctx context.Context, pattern string) ([]matchedFile, error) {
	bucket, object, _ := splitGCS(pattern)
	c, err := storageClient(ctx)
	if err != nil {
		return nil, err
	}
	prefix := object
	if i := strings.IndexAny(object, "*?[\\"); i >= 0 {
		prefix = object[:i]
	}
	it := c.Bucket(bucket).Objects(ctx, &storage.Query{Prefix: prefix})
	var out []matchedFile
	for {
		attrs, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("list gs://%s/%s: %w", bucket, prefix, err)
		}
		if ok, err := path.Match(object, attrs.Name); err != nil {
			return nil, fmt.Errorf("pattern %s: %w", pattern, err)
		} else if ok {
			out = append(out, matchedFile{path: "gs://" + bucket + "/" + attrs.Name, size: attrs.Size})
		}
	}
	return out, nil
}
