package status

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/drim-m/trust-space/schemas"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"
)

var (
	schemaOnce sync.Once
	schemaVal  *jsonschema.Schema
	schemaErr  error
)

func noticeSchema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		const name = "incident.schema.json"
		b, err := fs.ReadFile(schemas.FS, name)
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		c.AssertFormat = true
		if schemaErr = c.AddResource(name, bytes.NewReader(b)); schemaErr == nil {
			schemaVal, schemaErr = c.Compile(name)
		}
	})
	return schemaVal, schemaErr
}

// plain converts a YAML node to JSON-like values for the schema; it
// returns the first node YAML allows but a notice must not hold.
func plain(n *yaml.Node) (any, *yaml.Node) {
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		return nil, n
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if _, dup := m[k.Value]; dup || k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				return nil, k
			}
			v, bad := plain(n.Content[i+1])
			if bad != nil {
				return nil, bad
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := []any{}
		for _, c := range n.Content {
			v, bad := plain(c)
			if bad != nil {
				return nil, bad
			}
			s = append(s, v)
		}
		return s, nil
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		return n.Value == "true", nil
	case "!!int", "!!float":
		if _, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return json.Number(n.Value), nil
		}
	}
	return n.Value, nil
}

// nodeAt follows a JSON pointer into the YAML tree, stopping at the
// deepest node that exists.
func nodeAt(n *yaml.Node, ptr string) *yaml.Node {
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if part == "" {
			continue
		}
		switch n.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == part {
					n, found = n.Content[i+1], true
					break
				}
			}
			if !found {
				return n
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(n.Content) {
				return n
			}
			n = n.Content[i]
		default:
			return n
		}
	}
	return n
}

func leafErrors(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leafErrors(c)...)
	}
	return out
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			return n
		}
	}
	return 1
}
