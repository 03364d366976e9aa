package github

import (
	"fmt"
	"strings"
	"testing"
)

// value is the result of a workflow expression: a string, a boolean or
// null, as GitHub's expression language types them.
type value struct {
	kind string // "string", "bool" or "null"
	s    string
	b    bool
}

func (v value) truthy() bool {
	switch v.kind {
	case "bool":
		return v.b
	case "string":
		return v.s != ""
	}
	return false
}

// String is the value as ${{ }} interpolates it.
func (v value) String() string {
	switch v.kind {
	case "bool":
		return fmt.Sprint(v.b)
	case "string":
		return v.s
	}
	return ""
}

// exprParser evaluates the part of GitHub's expression language the
// workflows use, with its precedence: ( ) binds tightest, then !, then
// == and !=, then &&, then ||. && and || return one of their operands, as
// GitHub's do; strings compare case-insensitively.
type exprParser struct {
	toks   []string
	pos    int
	lookup func(name string) (string, bool)
	err    error
}

func tokenize(expr string) ([]string, error) {
	var toks []string
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '\'':
			j := i + 1
			var sb strings.Builder
			for {
				if j >= len(expr) {
					return nil, fmt.Errorf("unterminated string in %q", expr)
				}
				if expr[j] == '\'' {
					if j+1 < len(expr) && expr[j+1] == '\'' {
						sb.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				sb.WriteByte(expr[j])
				j++
			}
			toks = append(toks, "'"+sb.String())
			i = j + 1
		case strings.HasPrefix(expr[i:], "=="), strings.HasPrefix(expr[i:], "!="),
			strings.HasPrefix(expr[i:], "&&"), strings.HasPrefix(expr[i:], "||"):
			toks = append(toks, expr[i:i+2])
			i += 2
		case c == '!' || c == '(' || c == ')':
			toks = append(toks, string(c))
			i++
		default:
			j := i
			for j < len(expr) && strings.IndexByte(" \t\n'=!&|()", expr[j]) < 0 {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("unexpected %q in %q", c, expr)
			}
			toks = append(toks, expr[i:j])
			i = j
		}
	}
	return toks, nil
}

// evalExpr evaluates an expression; lookup gives the value of a context
// name (github.event_name …) and false for a name the test does not provide.
func evalExpr(expr string, lookup func(string) (string, bool)) (value, error) {
	toks, err := tokenize(expr)
	if err != nil {
		return value{}, err
	}
	p := &exprParser{toks: toks, lookup: lookup}
	v := p.or()
	if p.err == nil && p.pos < len(p.toks) {
		p.err = fmt.Errorf("unexpected %q in %q", p.toks[p.pos], expr)
	}
	return v, p.err
}

func (p *exprParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *exprParser) or() value {
	v := p.and()
	for p.peek() == "||" {
		p.pos++
		r := p.and()
		if !v.truthy() {
			v = r
		}
	}
	return v
}

func (p *exprParser) and() value {
	v := p.cmp()
	for p.peek() == "&&" {
		p.pos++
		r := p.cmp()
		if v.truthy() {
			v = r
		}
	}
	return v
}

func (p *exprParser) cmp() value {
	v := p.unary()
	for op := p.peek(); op == "==" || op == "!="; op = p.peek() {
		p.pos++
		r := p.unary()
		eq := v.kind == r.kind && strings.EqualFold(v.String(), r.String())
		v = value{kind: "bool", b: eq == (op == "==")}
	}
	return v
}

func (p *exprParser) unary() value {
	if p.peek() == "!" {
		p.pos++
		return value{kind: "bool", b: !p.unary().truthy()}
	}
	return p.primary()
}

func (p *exprParser) primary() value {
	t := p.peek()
	p.pos++
	switch {
	case t == "":
		p.fail("expression ends early")
	case t == "(":
		v := p.or()
		if p.peek() != ")" {
			p.fail("missing )")
		}
		p.pos++
		return v
	case strings.HasPrefix(t, "'"):
		return value{kind: "string", s: t[1:]}
	case t == "true" || t == "false":
		return value{kind: "bool", b: t == "true"}
	case t == "null":
		return value{kind: "null"}
	case statusFuncs[t] && p.peek() == "(" && p.pos+1 < len(p.toks) && p.toks[p.pos+1] == ")":
		// A status check function: its value is in the context, as
		// "name()", set by the runner from the needs' results.
		p.pos += 2
		s, ok := p.lookup(t + "()")
		if !ok {
			p.fail(fmt.Sprintf("%s() outside a job's if", t))
		}
		return value{kind: "bool", b: s == "true"}
	default:
		s, ok := p.lookup(t)
		if !ok {
			p.fail(fmt.Sprintf("the workflows use %s, which this test does not provide", t))
		}
		return value{kind: "string", s: s}
	}
	return value{kind: "null"}
}

// statusFuncs are GitHub's status check functions.
var statusFuncs = map[string]bool{"success": true, "failure": true, "cancelled": true, "always": true}

// usesStatusFunc tells whether an if: calls a status check function,
// which replaces the implicit success() of the needs.
func usesStatusFunc(expr string) bool {
	toks, err := tokenize(expr)
	if err != nil {
		return false
	}
	for i, t := range toks {
		if statusFuncs[t] && i+1 < len(toks) && toks[i+1] == "(" {
			return true
		}
	}
	return false
}

func (p *exprParser) fail(msg string) {
	if p.err == nil {
		p.err = fmt.Errorf("%s", msg)
	}
}

func TestEvalExpr(t *testing.T) {
	ctx := map[string]string{"github.event_name": "pull_request", "github.ref": "refs/heads/main",
		"github.event.pull_request.number": "", "github.event.merge_group.base_sha": "abc", "empty": ""}
	lookup := func(n string) (string, bool) { v, ok := ctx[n]; return v, ok }
	for _, tc := range []struct{ expr, want string }{
		{"github.event_name", "pull_request"},
		{"github.event.pull_request.number || github.ref", "refs/heads/main"},
		{"github.event_name == 'pull_request'", "true"},
		{"github.event_name == 'PULL_REQUEST'", "true"},
		{"github.event_name != 'pull_request'", "false"},
		// == binds tighter than ||: (a == 'x') || (b == 'y').
		{"github.event_name == 'merge_group' || github.event_name == 'pull_request'", "true"},
		{"github.event_name == 'pull_request' || github.event_name == 'merge_group'", "true"},
		{"github.event_name == 'push' || github.event_name == 'schedule'", "false"},
		{"github.event_name == 'push' || github.ref", "refs/heads/main"},
		// && binds tighter than ||.
		{"github.event_name == 'push' && empty || 'fallback'", "fallback"},
		{"github.event_name == 'pull_request' && github.ref == 'refs/heads/main'", "true"},
		{"!(github.event_name == 'pull_request')", "false"},
		{"!empty && github.ref", "refs/heads/main"},
		{"(github.event_name == 'push' || github.event_name == 'pull_request') && 'yes'", "yes"},
		{"empty || github.event.merge_group.base_sha", "abc"},
		{"'it''s'", "it's"},
	} {
		v, err := evalExpr(tc.expr, lookup)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if v.String() != tc.want {
			t.Errorf("%s = %q, want %q", tc.expr, v.String(), tc.want)
		}
	}
	for _, bad := range []string{"nosuch.context", "github.ref ==", "(github.ref", "github.ref )", "'open"} {
		if _, err := evalExpr(bad, lookup); err == nil {
			t.Errorf("%s: evaluated, want an error", bad)
		}
	}
}
