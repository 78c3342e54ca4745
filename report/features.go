package report

import (
	"fmt"
	"reflect"
	"strings"
)

// features renders the Hugging Face `dataset_info.features` YAML of a row
// type from its JSON tags, so the card cannot drift from what the writers
// emit. indent is the indentation of the list items.
//
// Mapping: string → string, bool → bool, ints → int64, floats → float64,
// []string → `sequence: string`, a struct → `struct:` of its fields, and
// a slice of structs → `list:` of its fields (a list of dicts, which is
// what the JSON holds; `sequence:` of a struct would mean a dict of lists).
func features(t reflect.Type, indent string) string {
	var b strings.Builder
	for _, f := range jsonFields(t) {
		fmt.Fprintf(&b, "%s- name: %s\n", indent, f.name)
		writeType(&b, f.typ, indent+"  ")
	}
	return b.String()
}

type jsonField struct {
	name string
	typ  reflect.Type
}

// jsonFields lists the exported fields of struct t under their JSON names.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if ft := f.Type; f.Anonymous && name == "" {
			// An embedded struct's fields sit at the top level of the JSON.
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, jsonFields(ft)...)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name, f.Type})
	}
	return out
}

func writeType(b *strings.Builder, t reflect.Type, indent string) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		fmt.Fprintf(b, "%sstruct:\n%s", indent, features(t, indent))
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			fmt.Fprintf(b, "%slist:\n%s", indent, features(t.Elem(), indent))
			return
		}
		fmt.Fprintf(b, "%ssequence: %s\n", indent, dtype(t.Elem()))
	default:
		fmt.Fprintf(b, "%sdtype: %s\n", indent, dtype(t))
	}
}

// dtype names a scalar Go type as a datasets Value dtype.
func dtype(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "int64"
	case reflect.Float32, reflect.Float64:
		return "float64"
	case reflect.String:
		return "string"
	}
	panic(fmt.Sprintf("report: no datasets dtype for %s", t))
}
