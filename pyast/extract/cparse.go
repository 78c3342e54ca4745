package extract

/*
#cgo CFLAGS: -std=c11 -O2
#include <stdlib.h>
#include "tsapi.h"

// ucnode is one syntax node as flatten copies it out of the C tree.
typedef struct {
	uint32_t start, end;
	int32_t parent;
	uint16_t symbol, field;
	uint8_t named, missing;
} ucnode;

// uc_use_libc_allocator stops tree-sitter from allocating through
// go-tree-sitter's Go callbacks (one cgo round trip per malloc).
static void uc_use_libc_allocator(void) {
	ts_set_allocator(malloc, calloc, realloc, free);
}

static TSParser *uc_parser_new(void) {
	TSParser *p = ts_parser_new();
	if (p && !ts_parser_set_language(p, tree_sitter_python())) {
		ts_parser_delete(p);
		return NULL;
	}
	return p;
}

// uc_parse parses src and copies its nodes, in pre-order, into a malloc'd
// array (*out, freed by the caller). It returns the node count, or -1 on
// failure; *has_error reports ERROR or MISSING nodes.
static int32_t uc_parse(TSParser *p, const char *src, uint32_t len, ucnode **out, int *has_error) {
	TSTree *tree = ts_parser_parse_string(p, NULL, src, len);
	if (!tree) return -1;
	TSNode root = ts_tree_root_node(tree);
	*has_error = ts_node_has_error(root);
	uint32_t cap = ts_node_descendant_count(root) + 1;
	ucnode *nodes = malloc(sizeof(ucnode) * cap);
	int32_t *stack = malloc(sizeof(int32_t) * (cap + 1));
	if (!nodes || !stack) { free(nodes); free(stack); ts_tree_delete(tree); return -1; }
	TSTreeCursor c = ts_tree_cursor_new(root);
	int32_t n = 0, depth = 0;
	stack[0] = -1;
	for (;;) {
		if ((uint32_t)n == cap) break; // cannot happen: cap counts every node
		TSNode node = ts_tree_cursor_current_node(&c);
		ucnode *u = &nodes[n];
		u->start = ts_node_start_byte(node);
		u->end = ts_node_end_byte(node);
		u->parent = stack[depth];
		u->symbol = ts_node_symbol(node);
		u->field = ts_tree_cursor_current_field_id(&c);
		u->named = ts_node_is_named(node);
		u->missing = ts_node_is_missing(node);
		if (ts_tree_cursor_goto_first_child(&c)) {
			stack[++depth] = n++;
			continue;
		}
		n++;
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c)) goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	ts_tree_delete(tree);
	free(stack);
	*out = nodes;
	return n;
}
// uc_parse_discard parses src and frees the tree: tree-sitter's own cost,
// the floor under uc_parse.
static void uc_parse_discard(TSParser *p, const char *src, uint32_t len) {
	TSTree *tree = ts_parser_parse_string(p, NULL, src, len);
	if (tree) ts_tree_delete(tree);
}
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

func init() { C.uc_use_libc_allocator() }

// cparser owns one C parser; parsers are not safe for concurrent use, so
// each goroutine borrows one from the pool.
type cparser struct{ p *C.TSParser }

var cparsers = sync.Pool{New: func() any {
	p := C.uc_parser_new()
	if p == nil {
		panic("tree-sitter-python: cannot create a parser")
	}
	cp := &cparser{p: p}
	// The pool drops parsers at garbage collections; their memory is C's.
	runtime.SetFinalizer(cp, func(cp *cparser) { C.ts_parser_delete(cp.p) })
	return cp
}}

// parse parses src and copies the syntax tree into Go memory in one cgo
// call: crossing cgo per node cost more than the parse itself.
func parse(src []byte) *tree {
	cp := cparsers.Get().(*cparser)
	defer cparsers.Put(cp)
	var out *C.ucnode
	var hasError C.int
	var ptr *C.char
	if len(src) > 0 {
		ptr = (*C.char)(unsafe.Pointer(&src[0]))
	}
	n := C.uc_parse(cp.p, ptr, C.uint32_t(len(src)), &out, &hasError)
	if n < 0 {
		return &tree{src: src, bad: true, nodes: []node{{kind: "ERROR", parent: -1, first: -1, next: -1, bad: true}}}
	}
	defer C.free(unsafe.Pointer(out))
	return &tree{src: src, bad: hasError != 0, nodes: link(unsafe.Slice(out, int(n)))}
}

// link converts the C records and threads first-child/next-sibling links.
func link(raw []C.ucnode) []node {
	nodes := make([]node, len(raw))
	last := make([]int32, len(raw)) // last child seen of each node
	for i := range raw {
		r := &raw[i]
		nd := &nodes[i]
		*nd = node{kind: kindName(uint16(r.symbol)), field: fieldName(uint16(r.field)),
			start: uint32(r.start), end: uint32(r.end), parent: int32(r.parent),
			first: -1, next: -1, named: r.named != 0}
		nd.bad = nd.kind == "ERROR" || r.missing != 0
		last[i] = -1
		if p := nd.parent; p >= 0 {
			if prev := last[p]; prev >= 0 {
				nodes[prev].next = int32(i)
			} else {
				nodes[p].first = int32(i)
			}
			last[p] = int32(i)
		}
	}
	return nodes
}

// parseDiscard parses src with tree-sitter and throws the tree away. It is
// the cost floor of parse (no copy, no analysis); BenchmarkParseFloorStdlib
// uses it to show how fast extraction could be at best.
func parseDiscard(src []byte) {
	if len(src) == 0 {
		return
	}
	cp := cparsers.Get().(*cparser)
	defer cparsers.Put(cp)
	C.uc_parse_discard(cp.p, (*C.char)(unsafe.Pointer(&src[0])), C.uint32_t(len(src)))
}
