package github

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

// value is the result of a workflow expression: a string, a number, a
// boolean or null, as GitHub's expression language types them.
type value struct {
	kind string // "string", "number", "bool" or "null"
	s    string
	n    float64
	b    bool
}

func str(s string) value   { return value{kind: "string", s: s} }
func boolean(b bool) value { return value{kind: "bool", b: b} }

func (v value) truthy() bool {
	switch v.kind {
	case "bool":
		return v.b
	case "string":
		return v.s != ""
	case "number":
		return v.n != 0 && !math.IsNaN(v.n)
	}
	return false
}

// String is the value as ${{ }} interpolates it.
func (v value) String() string {
	switch v.kind {
	case "bool":
		return strconv.FormatBool(v.b)
	case "string":
		return v.s
	case "number":
		return strconv.FormatFloat(v.n, 'f', -1, 64)
	}
	return ""
}

// number converts a value as GitHub does when comparing values of
// different types: null is 0, a boolean 0 or 1, a string its number (the
// empty string 0, anything else not a number NaN).
func (v value) number() float64 {
	switch v.kind {
	case "number":
		return v.n
	case "bool":
		if v.b {
			return 1
		}
		return 0
	case "string":
		s := strings.TrimSpace(v.s)
		if s == "" {
			return 0
		}
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return n
		}
		if n, err := strconv.ParseInt(s, 0, 64); err == nil {
			return float64(n)
		}
		return math.NaN()
	}
	return 0
}

// scope is what an expression can read: the contexts, by their dotted
// names (github.event.pull_request.number …), and the status check
// functions' results where they may be called (a job's or a step's if:).
type scope struct {
	lookup func(name string) (string, bool)
	status map[string]bool // success, failure, cancelled, always
}

// evalExpr parses an expression with actionlint's parser, the one the
// lint test runs, and evaluates it with GitHub's semantics: && and ||
// return one of their operands, comparison of different types goes through
// numbers, strings compare case-insensitively. A context the test does not
// provide, or a function it does not implement, is an error.
func evalExpr(expr string, sc scope) (value, error) {
	node, perr := actionlint.NewExprParser().Parse(actionlint.NewExprLexer(expr + "}}"))
	if perr != nil {
		return value{}, fmt.Errorf("%s", perr.Message)
	}
	return sc.eval(node)
}

func (sc scope) eval(node actionlint.ExprNode) (value, error) {
	switch n := node.(type) {
	case *actionlint.NullNode:
		return value{kind: "null"}, nil
	case *actionlint.BoolNode:
		return boolean(n.Value), nil
	case *actionlint.IntNode:
		return value{kind: "number", n: float64(n.Value)}, nil
	case *actionlint.FloatNode:
		return value{kind: "number", n: n.Value}, nil
	case *actionlint.StringNode:
		return str(n.Value), nil
	case *actionlint.VariableNode, *actionlint.ObjectDerefNode:
		name, err := path(node)
		if err != nil {
			return value{}, err
		}
		s, ok := sc.lookup(name)
		if !ok {
			return value{}, fmt.Errorf("the workflows use %s, which this test does not provide", name)
		}
		return str(s), nil
	case *actionlint.NotOpNode:
		v, err := sc.eval(n.Operand)
		return boolean(!v.truthy()), err
	case *actionlint.LogicalOpNode:
		l, err := sc.eval(n.Left)
		if err != nil {
			return l, err
		}
		// Both operands are evaluated, so that a context the test
		// lacks fails whichever way the expression goes.
		r, err := sc.eval(n.Right)
		if err != nil {
			return r, err
		}
		if (n.Kind == actionlint.LogicalOpNodeKindAnd) == l.truthy() {
			return r, nil
		}
		return l, nil
	case *actionlint.CompareOpNode:
		l, err := sc.eval(n.Left)
		if err != nil {
			return l, err
		}
		r, err := sc.eval(n.Right)
		if err != nil {
			return r, err
		}
		return boolean(compare(n.Kind, l, r)), nil
	case *actionlint.FuncCallNode:
		return sc.call(n)
	}
	return value{}, fmt.Errorf("this test does not evaluate %T expressions", node)
}

// path is the dotted name of a context property: github.event.number.
func path(node actionlint.ExprNode) (string, error) {
	switch n := node.(type) {
	case *actionlint.VariableNode:
		return strings.ToLower(n.Name), nil
	case *actionlint.ObjectDerefNode:
		p, err := path(n.Receiver)
		return p + "." + n.Property, err
	}
	return "", fmt.Errorf("this test reads contexts by property names only, not %T", node)
}

func compare(kind actionlint.CompareOpNodeKind, l, r value) bool {
	var c int
	switch {
	case l.kind == "string" && r.kind == "string":
		c = strings.Compare(strings.ToLower(l.s), strings.ToLower(r.s))
	case l.kind == r.kind && l.kind == "null":
		c = 0
	default:
		a, b := l.number(), r.number()
		if math.IsNaN(a) || math.IsNaN(b) {
			return kind == actionlint.CompareOpNodeKindNotEq
		}
		c = map[bool]int{true: -1, false: 1}[a < b]
		if a == b {
			c = 0
		}
	}
	switch kind {
	case actionlint.CompareOpNodeKindEq:
		return c == 0
	case actionlint.CompareOpNodeKindNotEq:
		return c != 0
	case actionlint.CompareOpNodeKindLess:
		return c < 0
	case actionlint.CompareOpNodeKindLessEq:
		return c <= 0
	case actionlint.CompareOpNodeKindGreater:
		return c > 0
	}
	return c >= 0
}

func (sc scope) call(n *actionlint.FuncCallNode) (value, error) {
	name := strings.ToLower(n.Callee)
	if statusFuncs[name] {
		if sc.status == nil {
			return value{}, fmt.Errorf("%s() outside an if:", name)
		}
		return boolean(sc.status[name]), nil
	}
	args := make([]value, len(n.Args))
	for i, a := range n.Args {
		v, err := sc.eval(a)
		if err != nil {
			return v, err
		}
		args[i] = v
	}
	fold := func(i int) string { return strings.ToLower(args[i].String()) }
	switch {
	case name == "contains" && len(args) == 2:
		return boolean(strings.Contains(fold(0), fold(1))), nil
	case name == "startswith" && len(args) == 2:
		return boolean(strings.HasPrefix(fold(0), fold(1))), nil
	case name == "endswith" && len(args) == 2:
		return boolean(strings.HasSuffix(fold(0), fold(1))), nil
	case name == "format" && len(args) >= 1:
		s := args[0].String()
		for i, a := range args[1:] {
			s = strings.ReplaceAll(s, "{"+strconv.Itoa(i)+"}", a.String())
		}
		return str(strings.NewReplacer("{{", "{", "}}", "}").Replace(s)), nil
	}
	return value{}, fmt.Errorf("the workflows call %s() with %d arguments, which this test does not implement", n.Callee, len(args))
}

// statusFuncs are GitHub's status check functions.
var statusFuncs = map[string]bool{"success": true, "failure": true, "cancelled": true, "always": true}

// usesStatusFunc tells whether an if: calls a status check function,
// which replaces the implicit success().
func usesStatusFunc(expr string) bool {
	node, err := actionlint.NewExprParser().Parse(actionlint.NewExprLexer(expr + "}}"))
	if err != nil {
		return false
	}
	found := false
	actionlint.VisitExprNode(node, func(n, _ actionlint.ExprNode, entering bool) {
		if f, ok := n.(*actionlint.FuncCallNode); ok && entering && statusFuncs[strings.ToLower(f.Callee)] {
			found = true
		}
	})
	return found
}

func TestEvalExpr(t *testing.T) {
	ctx := map[string]string{"github.event_name": "pull_request", "github.ref": "refs/heads/main",
		"github.event.pull_request.number": "", "github.event.merge_group.base_sha": "abc", "empty": "",
		"steps.app-token.outputs.token": "tok", "github.event.number": "7"}
	sc := scope{lookup: func(n string) (string, bool) { v, ok := ctx[n]; return v, ok },
		status: map[string]bool{"success": false, "failure": true, "cancelled": false, "always": true}}
	for _, tc := range []struct{ expr, want string }{
		{"github.event_name", "pull_request"},
		{"github.event.pull_request.number || github.ref", "refs/heads/main"},
		{"github.event_name == 'pull_request'", "true"},
		{"github.event_name == 'PULL_REQUEST'", "true"},
		{"github.event_name != 'pull_request'", "false"},
		// == binds tighter than ||: (a == 'x') || (b == 'y').
		{"github.event_name == 'merge_group' || github.event_name == 'pull_request'", "true"},
		{"github.event_name == 'push' || github.event_name == 'schedule'", "false"},
		{"github.event_name == 'push' || github.ref", "refs/heads/main"},
		// && binds tighter than ||.
		{"github.event_name == 'push' && empty || 'fallback'", "fallback"},
		{"!(github.event_name == 'pull_request')", "false"},
		{"!empty && github.ref", "refs/heads/main"},
		{"(github.event_name == 'push' || github.event_name == 'pull_request') && 'yes'", "yes"},
		{"empty || github.event.merge_group.base_sha", "abc"},
		{"'it''s'", "it's"},
		{"steps.app-token.outputs.token", "tok"},
		// Different types compare as numbers.
		{"github.event.number == 7", "true"},
		{"github.event.number > 6.5", "true"},
		{"empty == 0", "true"},
		{"null == false", "true"},
		{"'x' == 0", "false"},
		{"'x' != 0", "true"},
		{"contains(github.ref, 'MAIN')", "true"},
		{"startsWith(github.ref, 'refs/heads/')", "true"},
		{"endsWith(github.ref, '/dev')", "false"},
		{"format('{0}-{1} {{x}}', github.event_name, 7)", "pull_request-7 {x}"},
		{"!cancelled() && failure()", "true"},
		{"success() || 'no'", "no"},
	} {
		v, err := evalExpr(tc.expr, sc)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if v.String() != tc.want {
			t.Errorf("%s = %q, want %q", tc.expr, v.String(), tc.want)
		}
	}
	for _, bad := range []string{"nosuch.context", "github.ref ==", "(github.ref", "github.ref )", "'open",
		"github.ref || nosuch.context", "fromJSON('{}')", "github.event['number']"} {
		if _, err := evalExpr(bad, sc); err == nil {
			t.Errorf("%s: evaluated, want an error", bad)
		}
	}
	if _, err := evalExpr("always()", scope{lookup: sc.lookup}); err == nil {
		t.Error("a status check function outside an if: evaluated")
	}
	if !usesStatusFunc("!cancelled()") || usesStatusFunc("github.ref == 'x'") {
		t.Error("usesStatusFunc")
	}
}
