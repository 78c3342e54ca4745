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
	seen := map[string]bool{}
	var out []string
	for _, p := range strings.Split(pattern, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		var got []string
		var err error
		if _, _, ok := splitGCS(p); ok {
			got, err = matchGCS(ctx, p)
		} else {
			got, err = filepath.Glob(p)
			if err != nil {
				err = fmt.Errorf("glob %s: %w", p, err)
			}
		}
		if err != nil {
			return nil, err
		}
		if len(got) == 0 {
			return nil, fmt.Errorf("%s: %w", p, ErrNoMatch)
		}
		for _, g := range got {
			if !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// matchGCS lists the objects under the pattern's literal prefix and keeps
// those the pattern matches.
func matchGCS(ctx context.Context, pattern string) ([]string, error) {
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
	var out []string
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
			out = append(out, "gs://"+bucket+"/"+attrs.Name)
		}
	}
	return out, nil
}
