package dossier

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// MaxTemplateSize bounds the size of a CSV template read into memory. The
// ANS templates are a few kilobytes; anything much larger is not one.
const MaxTemplateSize = 4 << 20

// Finding rule identifiers for reading a CSV template.
const (
	RuleCSVEncoding = "CSV-ENCODING"
	RuleCSVSyntax   = "CSV-SYNTAX"
	RuleCSVHeader   = "CSV-HEADER"
	RuleCSVRow      = "CSV-ROW"
)

// Column is one column of a template's header.
type Column struct {
	// Name is the column title as the template writes it.
	Name string `json:"name"`
	// Aliases are other titles accepted for the column, as spreadsheets
	// and people write them.
	Aliases  []string `json:"aliases,omitempty"`
	Required bool     `json:"required"`
	Help     string   `json:"help"`
}

// matches tells whether a header cell, normalised, titles this column.
func (c Column) matches(n string) bool {
	if n == fold(c.Name) {
		return true
	}
	for _, a := range c.Aliases {
		if n == fold(a) {
			return true
		}
	}
	return false
}

// table is a CSV file read for checking: its header, its data rows and
// where each cell was, so findings can point at them.
type table struct {
	path       string
	sep        rune
	headerLine int
	header     []string
	head       row
	// above are the rows over the header: a title, or the RACI matrix's
	// row of entities.
	above []row
	// index maps a template column's Name to its field.
	index map[string]int
	// others are the fields whose title names no template column.
	others []int
	rows   []row
	// skipped counts the rows left out because their cells could not be
	// told apart; checks do not repeat what CSV-ROW already says of them.
	skipped int
}

type row struct {
	line  int
	cells []string
	cols  []int
}

// cell returns the trimmed text of field i, "" past the end of the row.
func (r row) cell(i int) string {
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return r.cells[i]
}

// get returns the row's cell under a template column, "" when absent.
func (t *table) get(r row, column string) string {
	i, ok := t.index[column]
	if !ok {
		return ""
	}
	return r.cell(i)
}

// at builds a finding at the row's cell under field i.
func (t *table) at(r row, i int, rule, format string, args ...any) registry.Finding {
	col := 1
	if i >= 0 && i < len(r.cols) {
		col = r.cols[i]
	}
	return finding(t.path, r.line, col, rule, format, args...)
}

// atColumn builds a finding at the row's cell under a template column.
func (t *table) atColumn(r row, column, rule, format string, args ...any) registry.Finding {
	i, ok := t.index[column]
	if !ok {
		i = -1
	}
	return t.at(r, i, rule, format, args...)
}

// readTable decodes a CSV template: it accepts a UTF-8 byte-order mark,
// Windows-1252 text (what spreadsheets in a French locale save by
// default), CRLF or CR line ends, and comma, semicolon or tab separators,
// detected from the file. The header is the first of the first few
// non-empty rows that holds every required column; rows above it (a
// title) are ignored. It returns nil and findings when the file cannot be
// read as the template.
func readTable(path string, data []byte, template string, columns []Column) (*table, []registry.Finding) {
	records, sep, fs := readRows(path, data)
	if fs != nil {
		return nil, fs
	}
	if len(records) == 0 {
		return nil, []registry.Finding{finding(path, 1, 1, RuleCSVHeader, "the file holds no rows; fill in the %s template (header: %s)", template, headerText(columns, sep))}
	}
	for k := 0; k < min(len(records), 5); k++ {
		if t := matchHeader(records[k], columns); t != nil {
			t.path, t.sep, t.above = path, sep, records[:k]
			return t, t.setRows(records[k+1:])
		}
	}
	first := records[0]
	return nil, []registry.Finding{finding(path, first.line, 1, RuleCSVHeader,
		"the header lacks the column(s) %s required by the %s template; the file's first row is: %s (separator %s detected); the template's header is: %s",
		strings.Join(missingColumns(first, columns), ", "), template, strings.Join(first.cells, string(sep)), sepName(sep), headerText(columns, sep))}
}

// readRows decodes a CSV file and returns its non-empty rows, each cell
// trimmed and placed, and the separator detected.
func readRows(path string, data []byte) ([]row, rune, []registry.Finding) {
	text, f := decodeText(path, data)
	if f != nil {
		return nil, 0, []registry.Finding{*f}
	}
	sep := detectSeparator(text)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sep
	r.FieldsPerRecord = -1
	var records []row
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, sep, []registry.Finding{finding(path, pe.Line, pe.Column, RuleCSVSyntax, "%s", quoteProblem(pe))}
		}
		if err != nil {
			return nil, sep, []registry.Finding{finding(path, 1, 1, RuleCSVSyntax, "cannot read the file as CSV: %v", err)}
		}
		line, _ := r.FieldPos(0)
		rw := row{line: line, cells: make([]string, len(rec)), cols: make([]int, len(rec))}
		empty := true
		for i, c := range rec {
			rw.cells[i] = strings.TrimFunc(c, unicode.IsSpace)
			_, rw.cols[i] = r.FieldPos(i)
			empty = empty && rw.cells[i] == ""
		}
		if !empty {
			records = append(records, rw)
		}
	}
	return records, sep, nil
}

// matchHeader returns a table when a row holds every required column,
// each once.
func matchHeader(h row, columns []Column) *table {
	t := &table{headerLine: h.line, header: h.cells, head: h, index: map[string]int{}}
	for i, cell := range h.cells {
		n, matched := fold(cell), false
		for _, c := range columns {
			if c.matches(n) {
				if _, dup := t.index[c.Name]; dup {
					return nil
				}
				t.index[c.Name], matched = i, true
				break
			}
		}
		if !matched && n != "" {
			t.others = append(t.others, i)
		}
	}
	for _, c := range columns {
		if _, ok := t.index[c.Name]; c.Required && !ok {
			return nil
		}
	}
	return t
}

// setRows keeps the data rows and reports, and leaves out, rows with more
// non-empty cells than the header has columns: usually a separator inside
// a cell that should have been quoted.
func (t *table) setRows(rows []row) []registry.Finding {
	var out []registry.Finding
	for _, r := range rows {
		if i := lastFilled(r); i >= len(t.header) {
			out = append(out, t.at(r, i, RuleCSVRow,
				"row has %d cells but the header has %d columns; a %s inside a cell must be quoted (\"like %s this\")",
				i+1, len(t.header), sepName(t.sep), string(t.sep)))
			t.skipped++
			continue
		}
		t.rows = append(t.rows, r)
	}
	return out
}

func lastFilled(r row) int {
	for i := len(r.cells) - 1; i >= 0; i-- {
		if r.cells[i] != "" {
			return i
		}
	}
	return -1
}

func missingColumns(h row, columns []Column) []string {
	var out []string
	for _, c := range columns {
		if !c.Required {
			continue
		}
		found := false
		for _, cell := range h.cells {
			found = found || c.matches(fold(cell))
		}
		if !found {
			out = append(out, fmt.Sprintf("%q", c.Name))
		}
	}
	if len(out) == 0 {
		out = append(out, "(a column appears twice)")
	}
	return out
}

func headerText(columns []Column, sep rune) string {
	var names []string
	for _, c := range columns {
		if c.Required {
			names = append(names, c.Name)
		}
	}
	return strings.Join(names, string(sep))
}

func sepName(sep rune) string {
	switch sep {
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	}
	return "comma"
}

func quoteProblem(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return `a quote (") appears inside a cell that does not start with one; quote the whole cell and double the inner quotes ("like ""this""") or remove the quote`
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf(`a quoted cell opened on line %d is not closed properly; close it with a quote and double any quote inside it ("like ""this""")`, pe.StartLine)
	}
	return fmt.Sprintf("cannot read the file as CSV: %v", pe.Err)
}
