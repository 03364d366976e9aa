package gitrepo

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The checks of git's fsck.c (fsck_tree, verify_ordered) and path.c
// (is_hfs_dotgit, is_ntfs_dotgit and their .gitmodules kin), which git
// applies to what it receives when transfer.fsckObjects is on. Some hosts
// do not: a pushed tree may hold what git itself never writes.

// treeProblem says what git fsck refuses in a tree's entries, or "".
func treeProblem(entries []rawEntry) string {
	seen := make(map[string]bool, len(entries))
	for i, e := range entries {
		if e.mode == "malformed" {
			return "the tree object is malformed"
		}
		if msg := nameProblem(e); msg != "" {
			return msg
		}
		switch e.mode {
		case "100644", "100755", "120000", "40000", "160000":
		default:
			return fmt.Sprintf("entry %q has mode %s, which git never writes", e.name, e.mode)
		}
		if e.hash.IsZero() {
			return fmt.Sprintf("entry %q points at the null object", e.name)
		}
		if seen[e.name] {
			return fmt.Sprintf("two entries are named %q; a checkout may write either", e.name)
		}
		seen[e.name] = true
		if i > 0 && entryCompare(entries[i-1], e) > 0 {
			return fmt.Sprintf("entries %q and %q are out of git's order; tools that look names up by order may find another entry", entries[i-1].name, e.name)
		}
	}
	return ""
}

// nameProblem says what git fsck refuses in an entry's name, or "".
func nameProblem(e rawEntry) string {
	n := e.name
	switch {
	case n == "":
		return "an entry has an empty name"
	case n == "." || n == "..":
		return fmt.Sprintf("an entry is named %q", n)
	case strings.Contains(n, "/"):
		return fmt.Sprintf("entry %q holds a '/', a path in a name", n)
	case isHFSDot(n, "git") || isNTFSDotGit(n):
		return fmt.Sprintf("entry %q is read as .git by some file systems (git fsck: hasDotgit)", n)
	}
	if e.mode == "120000" {
		for _, f := range []struct{ name, short string }{{"gitmodules", "gi7eba"}, {"gitattributes", "gi7d29"}, {"gitignore", "gi250a"}, {"mailmap", "maba30"}} {
			if isHFSDot(n, f.name) || isNTFSDot(n, f.name, f.short) {
				return fmt.Sprintf("entry %q is a symbolic link read as .%s by some file systems", n, f.name)
			}
		}
	}
	return ""
}

// entryCompare orders entries as git does: by name, a folder's name as if
// followed by '/'.
func entryCompare(a, b rawEntry) int {
	an, bn := a.name, b.name
	if a.dir() {
		an += "/"
	}
	if b.dir() {
		bn += "/"
	}
	return strings.Compare(an, bn)
}

// hfsIgnored are the code points HFS+ ignores in names (git's
// next_hfs_char).
func hfsIgnored(r rune) bool {
	switch r {
	case 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
		0x206a, 0x206b, 0x206c, 0x206d, 0x206e, 0x206f, 0xfeff:
		return true
	}
	return false
}

// isHFSDot tells whether HFS+ reads name as "." + needle: the same
// letters in any case, with ignorable code points anywhere.
func isHFSDot(name, needle string) bool {
	var rs []rune
	for len(name) > 0 {
		r, size := utf8.DecodeRuneInString(name)
		if r == utf8.RuneError && size <= 1 {
			return false
		}
		name = name[size:]
		if !hfsIgnored(r) {
			rs = append(rs, r)
		}
	}
	if len(rs) != len(needle)+1 || rs[0] != '.' {
		return false
	}
	for i, c := range needle {
		r := rs[i+1]
		if r > 127 || asciiLower(byte(r)) != byte(c) {
			return false
		}
	}
	return true
}

// isNTFSDotGit tells whether NTFS reads name as .git: ".git" or its short
// name "git~1", in any case, followed only by spaces and periods, or by an
// alternate data stream (':').
func isNTFSDotGit(name string) bool {
	lower := strings.ToLower(name)
	var rest string
	switch {
	case strings.HasPrefix(lower, ".git"):
		rest = name[4:]
	case strings.HasPrefix(lower, "git~1"):
		rest = name[5:]
	default:
		return false
	}
	return onlySpacesAndPeriods(rest, true)
}

// onlySpacesAndPeriods tells whether NTFS drops s from the end of a name:
// spaces and periods up to the end, an alternate data stream (':') or,
// for .git, a backslash.
func onlySpacesAndPeriods(s string, backslash bool) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ':':
			return true
		case '\\':
			return backslash
		case ' ', '.':
		default:
			return false
		}
	}
	return true
}

// isNTFSDot is git's is_ntfs_dot_generic: "." + needle, its 8.3 short
// name (the first six letters, '~', 1 to 4), or the fall-back short name
// made of a hash prefix.
func isNTFSDot(name, needle, short string) bool {
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "."+needle) {
		return onlySpacesAndPeriods(name[len(needle)+1:], false)
	}
	if len(lower) >= 8 && lower[:6] == needle[:6] && lower[6] == '~' && lower[7] >= '1' && lower[7] <= '4' {
		return onlySpacesAndPeriods(name[8:], false)
	}
	sawTilde := false
	for i := 0; i < 8; i++ {
		if i >= len(name) {
			return false
		}
		c := name[i]
		switch {
		case sawTilde:
			if c < '0' || c > '9' {
				return false
			}
		case c == '~':
			i++
			if i >= len(name) || name[i] < '1' || name[i] > '9' {
				return false
			}
			sawTilde = true
		case i >= 6 || c >= 0x80:
			return false
		case asciiLower(c) != short[i]:
			return false
		}
	}
	return onlySpacesAndPeriods(name[8:], false)
}

func asciiLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
