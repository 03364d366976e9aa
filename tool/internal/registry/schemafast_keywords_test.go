package registry

import (
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// schemaFields are the fields of the library's compiled schema, each as
// the quick walk treats it. A library version that adds a field (a new
// keyword) fails TestQuickSchemaKnowsEveryField until the field is put
// here and, unless it is an annotation, either decided by quickValid or
// declined by quickSupported: the quick walk must never pass over a
// keyword it does not know.
var schemaFields = map[string]string{
	// Decided by quickValid.
	"Format": "decided", "Always": "decided", "Ref": "decided", "Types": "decided", "Enum": "decided",
	"Not": "decided", "AllOf": "decided", "AnyOf": "decided", "OneOf": "decided",
	"MinProperties": "decided", "Required": "decided", "Properties": "decided", "PropertyNames": "decided",
	"AdditionalProperties": "decided", "MinItems": "decided", "MaxItems": "decided", "UniqueItems": "decided",
	"Items2020": "decided", "MinLength": "decided", "MaxLength": "decided", "Pattern": "decided",
	"Minimum": "decided", "Maximum": "decided",
	// Declined by quickSupported.
	"RecursiveRef": "declined", "DynamicRef": "declined", "Constant": "declined", "If": "declined",
	"MaxProperties": "declined", "RegexProperties": "declined", "PatternProperties": "declined",
	"Dependencies": "declined", "DependentRequired": "declined", "DependentSchemas": "declined",
	"UnevaluatedProperties": "declined", "UnevaluatedItems": "declined", "Items": "declined",
	"AdditionalItems": "declined", "PrefixItems": "declined", "Contains": "declined",
	"ContentEncoding": "declined", "ContentMediaType": "declined", "ContentSchema": "declined",
	"ExclusiveMinimum": "declined", "ExclusiveMaximum": "declined", "MultipleOf": "declined",
	"Extensions": "declined",
	// Meaningful only beside a declined keyword: Then and Else beside If,
	// the contains bounds beside Contains, anchors beside dynamic refs.
	"Then": "with a declined keyword", "Else": "with a declined keyword",
	"ContainsEval": "with a declined keyword", "MinContains": "with a declined keyword",
	"MaxContains": "with a declined keyword", "RecursiveAnchor": "with a declined keyword",
	"DynamicAnchor": "with a declined keyword",
	// No effect on validity.
	"Location": "bookkeeping", "Draft": "bookkeeping", "Title": "annotation", "Description": "annotation",
	"Default": "annotation", "Comment": "annotation", "ReadOnly": "annotation", "WriteOnly": "annotation",
	"Examples": "annotation", "Deprecated": "annotation",
}

func TestQuickSchemaKnowsEveryField(t *testing.T) {
	typ := reflect.TypeOf(jsonschema.Schema{})
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.IsExported() && schemaFields[f.Name] == "" {
			t.Errorf("jsonschema.Schema has a field %s the quick walk does not know: decide it in quickValid or decline it in quickSupported, then list it in schemaFields", f.Name)
		}
	}
}

// TestQuickSchemaDeclinesUnknownKeywords: a schema that uses a keyword the
// quick walk does not decide, at the root or anywhere below, is left to
// the library, as a schema change on main may add one.
func TestQuickSchemaDeclinesUnknownKeywords(t *testing.T) {
	keywords := map[string]string{
		"const":                 `"const": "x"`,
		"if":                    `"if": {"required": ["a"]}, "then": {"required": ["b"]}`,
		"if-else":               `"if": {"required": ["a"]}, "else": {"required": ["b"]}`,
		"maxProperties":         `"maxProperties": 1`,
		"patternProperties":     `"patternProperties": {"^x": {"type": "string"}}`,
		"dependentRequired":     `"dependentRequired": {"a": ["b"]}`,
		"dependentSchemas":      `"dependentSchemas": {"a": {"required": ["b"]}}`,
		"unevaluatedProperties": `"unevaluatedProperties": false`,
		"unevaluatedItems":      `"unevaluatedItems": false`,
		"prefixItems":           `"prefixItems": [{"type": "string"}]`,
		"contains":              `"contains": {"type": "string"}, "minContains": 2`,
		"exclusiveMinimum":      `"exclusiveMinimum": 1`,
		"exclusiveMaximum":      `"exclusiveMaximum": 1`,
		"multipleOf":            `"multipleOf": 2`,
		"contentEncoding":       `"contentEncoding": "base64"`,
		"contentMediaType":      `"contentMediaType": "application/json"`,
		"unknown format":        `"format": "no-such-format"`,
		"dynamicRef":            `"properties": {"z": {"$dynamicRef": "#"}}`,
	}
	// Where a keyword may stand: the root, and each place quickSupported
	// must look into.
	places := map[string]string{
		"root":                 `{"type": "object", %s}`,
		"property":             `{"type": "object", "properties": {"a": {%s}}}`,
		"additionalProperties": `{"type": "object", "additionalProperties": {%s}}`,
		"propertyNames":        `{"type": "object", "propertyNames": {%s}}`,
		"items":                `{"type": "object", "properties": {"a": {"type": "array", "items": {%s}}}}`,
		"allOf":                `{"allOf": [{%s}]}`,
		"anyOf":                `{"anyOf": [{"type": "object"}, {%s}]}`,
		"oneOf":                `{"oneOf": [{"type": "object"}, {%s}]}`,
		"not":                  `{"not": {"not": {%s}}}`,
		"$ref":                 `{"$ref": "#/$defs/d", "$defs": {"d": {%s}}}`,
		"$ref below":           `{"properties": {"a": {"$ref": "#/$defs/d"}}, "$defs": {"d": {"properties": {"b": {%s}}}}}`,
	}
	for kw, text := range keywords {
		for place, tmpl := range places {
			t.Run(kw+" in "+place, func(t *testing.T) {
				src := strings.Replace(tmpl, "%s", text, 1)
				c := jsonschema.NewCompiler()
				c.Draft = jsonschema.Draft2020
				c.AssertFormat = true
				if err := c.AddResource("s.json", strings.NewReader(src)); err != nil {
					t.Fatal(err)
				}
				sch, err := c.Compile("s.json")
				if err != nil {
					t.Fatalf("%v\n%s", err, src)
				}
				if quickSchema(sch) != nil {
					t.Fatalf("the quick walk answers for a schema using %s:\n%s", kw, src)
				}
			})
		}
	}
}
