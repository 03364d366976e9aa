package registry

import (
	"regexp"
	"strconv"
	"strings"
)

// Index fields: what the cross-record rules (unique Identifiants and ZED
// containers, the operator's records) and the Liste Blanche need of a
// DRIMbox that a change leaves as it was.
var indexFields = map[string]bool{
	"identifiant": true, "operator": true, "status": true, "support_contact": true,
	"endpoints.db": true, "endpoints.vi": true,
	"certificates.server.dn": true, "certificates.server.sha256": true, "certificates.server.serial": true,
	"dossier.zed.container": true, "dossier.zed.order": true,
}

// indexParents are the mappings that hold index fields; written in flow
// style, they send the record to the full reader.
var indexParents = map[string]bool{"endpoints": true, "certificates": true, "certificates.server": true, "dossier": true, "dossier.zed": true}

var (
	decimalRe = regexp.MustCompile(`^[1-9][0-9]{0,8}$`)
)

// indexRecord reads a DRIMbox record's index fields with a line scanner,
// far cheaper than the YAML parser and the schema. It understands the
// block style that 'drimm new' writes — keys at growing indentation, plain
// or simply quoted one-line values — and gives up (false) on anything
// else: flow mappings on the way to an index field, escapes, multi-line
// values, comments beside a value, quoted keys. The caller then reads the
// record in full. It is used only for records a change leaves byte for
// byte as they were in the base revision, where they were read in full.
func indexRecord(data []byte) (*DRIMbox, bool) {
	d := &DRIMbox{}
	type level struct {
		indent int
		key    string
	}
	var stack []level
	skipAbove := -1 // inside a block scalar: lines indented more than this
	src := string(data)
	for len(src) > 0 {
		var line string
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			line, src = src, ""
		}
		s := strings.TrimRight(line, " \r")
		trimmed := strings.TrimLeft(s, " ")
		indent := len(s) - len(trimmed)
		if trimmed == "" {
			continue
		}
		if skipAbove >= 0 {
			if indent > skipAbove {
				continue
			}
			skipAbove = -1
		}
		if trimmed[0] == '#' {
			continue
		}
		if strings.HasPrefix(trimmed, "---") || strings.HasPrefix(trimmed, "...") || strings.ContainsRune(s, '\t') {
			return nil, false
		}
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		if trimmed == "-" || strings.HasPrefix(trimmed, "- ") {
			// A sequence item: no index field lives in a sequence.
			// Its lines below belong to the enclosing key.
			if len(stack) == 0 {
				return nil, false
			}
			stack = append(stack, level{indent, "-"})
			continue
		}
		key, rest, ok := splitKey(trimmed)
		if !ok {
			return nil, false
		}
		if rest == "" {
			stack = append(stack, level{indent, key})
			continue
		}
		parent := ""
		switch len(stack) {
		case 0:
		case 1:
			parent = stack[0].key
		case 2:
			parent = stack[0].key + "." + stack[1].key
		default:
			parent = "-"
		}
		if parent != "" && !indexParents[parent] {
			// Not on the way to an index field: only what would make
			// the lines below mean something else matters.
			if (rest[0] == '{' || rest[0] == '[') && !strings.HasSuffix(rest, "}") && !strings.HasSuffix(rest, "]") {
				return nil, false
			}
			if (rest[0] == '"' || rest[0] == '\'') && (len(rest) < 2 || rest[len(rest)-1] != rest[0]) {
				return nil, false
			}
			continue
		}
		path := key
		if parent != "" {
			path = parent + "." + key
		}
		if rest[0] == '|' || rest[0] == '>' {
			if indexFields[path] || indexParents[path] {
				return nil, false
			}
			skipAbove = indent
			continue
		}
		if indexParents[path] {
			return nil, false
		}
		if !indexFields[path] {
			if (rest[0] == '{' || rest[0] == '[') && !strings.HasSuffix(rest, "}") && !strings.HasSuffix(rest, "]") {
				return nil, false // a flow collection over several lines
			}
			if (rest[0] == '"' || rest[0] == '\'') && (len(rest) < 2 || rest[len(rest)-1] != rest[0]) {
				return nil, false // a quoted value over several lines
			}
			continue
		}
		v, ok := indexScalar(rest)
		if !ok {
			return nil, false
		}
		switch path {
		case "identifiant":
			if !decimalRe.MatchString(v) || rest != v {
				return nil, false
			}
			d.Identifiant, _ = strconv.Atoi(v)
		case "operator":
			d.Operator = v
		case "status":
			d.Status = Status(v)
		case "support_contact":
			d.SupportContact = v
		case "endpoints.db":
			d.Endpoints.DB = v
		case "endpoints.vi":
			d.Endpoints.VI = v
		case "certificates.server.dn":
			d.Certificates.Server.DN = v
		case "certificates.server.sha256":
			d.Certificates.Server.SHA256 = v
		case "certificates.server.serial":
			d.Certificates.Server.Serial = v
		case "dossier.zed.container":
			d.Dossier.ZED.Container = v
		case "dossier.zed.order":
			d.Dossier.ZED.Order = v
		}
	}
	if d.Identifiant == 0 {
		return nil, false
	}
	return d, true
}

// splitKey splits "key: rest" where key is a plain field name.
func splitKey(s string) (key, rest string, ok bool) {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' {
			i++
			continue
		}
		break
	}
	if i == 0 || i >= len(s) || s[i] != ':' {
		return "", "", false
	}
	key, rest = s[:i], s[i+1:]
	if rest == "" {
		return key, "", true
	}
	if rest[0] != ' ' {
		return "", "", false
	}
	return key, strings.TrimLeft(rest, " "), true
}

// indexScalar reads a one-line string value: plain, or quoted without
// escapes; anything YAML would read as another type, or differently from
// its text, is refused.
func indexScalar(s string) (string, bool) {
	switch s[0] {
	case '"':
		if len(s) < 2 || s[len(s)-1] != '"' || strings.ContainsAny(s[1:len(s)-1], "\"\\") {
			return "", false
		}
		return s[1 : len(s)-1], true
	case '\'':
		if len(s) < 2 || s[len(s)-1] != '\'' || strings.ContainsRune(s[1:len(s)-1], '\'') {
			return "", false
		}
		return s[1 : len(s)-1], true
	}
	if !plainString(s) {
		return "", false
	}
	return s, true
}

// plainString tells whether YAML reads the plain scalar s as the string s:
// it starts with a letter, holds no comment, mapping indicator or escape,
// and is not one of the words YAML reads as null or a boolean. A plain
// decimal number, which only the Identifiant holds, is accepted too.
func plainString(s string) bool {
	if decimalRe.MatchString(s) {
		return true
	}
	c := s[0]
	if c >= '0' && c <= '9' {
		// Lowercase hex, as digests and serials are written: no YAML
		// number or date holds a, c, d or f outside a 0x prefix.
		return !strings.HasPrefix(s, "0x") && strings.Trim(s, "0123456789abcdef") == "" && strings.ContainsAny(s, "acdf")
	}
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return false
	}
	if strings.Contains(s, " #") || strings.Contains(s, ": ") || strings.HasSuffix(s, ":") || strings.ContainsRune(s, '\\') {
		return false
	}
	switch s {
	case "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE":
		return false
	}
	return true
}
