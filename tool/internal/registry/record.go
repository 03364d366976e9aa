package registry

import (
	"fmt"
	"os"
	"path/filepath"
)

// LoadConditions reads and checks a conditions catalogue on its own.
func LoadConditions(path string) ([]Condition, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading conditions: %w", err)
	}
	r, fs, err := FromFiles(filepath.Dir(path), []File{{Path: "conditions.yaml", Data: data}})
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if f.Rule != "REG-LAYOUT" {
			return nil, &f
		}
	}
	return r.Conditions, nil
}

// DecodeRecord reads one YAML record of a kind that lives outside the
// registry folder (such as an incident notice) with the same strictness as
// registry records: strict YAML, the kind's schema in schemas/, then
// decoding into v. It returns the record's Source, for positions, and the
// findings; v is filled only when there are none.
func DecodeRecord(path, kind string, data []byte, v any) (*Source, []Finding) {
	sch, err := LoadSchemas()
	if err != nil {
		return nil, []Finding{{Path: path, Line: 1, Col: 1, Rule: "REG-SCHEMA", Msg: err.Error()}}
	}
	doc, fs := parseYAML(path, data)
	if doc == nil {
		return nil, fs
	}
	src := &Source{Path: path, root: doc.root, data: data}
	if fs := sch.validate(kind, doc); len(fs) > 0 {
		return src, fs
	}
	if err := doc.root.Decode(v); err != nil {
		return src, []Finding{{Path: path, Line: 1, Col: 1, Rule: "REG-SCHEMA", Msg: fmt.Sprintf("cannot read record: %v", err)}}
	}
	return src, nil
}
