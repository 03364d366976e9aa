package lifecycle

import (
	"path"
	"strings"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

// File modes of a path in a change, as git records them.
const (
	ModeAbsent     uint32 = 0
	ModeRegular    uint32 = 0o100644
	ModeExecutable uint32 = 0o100755
	ModeSymlink    uint32 = 0o120000
	ModeSubmodule  uint32 = 0o160000
)

// PathChange is one path the change adds, removes or modifies, relative
// to the repository root, with its git file mode before and after
// (ModeAbsent where the path does not exist).
type PathChange struct {
	Path     string
	Old, New uint32
}

// Owner says who may change a path of the repository.
type Owner int

const (
	// OwnerUnknown: the path is outside the repository's layout; only ANS
	// reviewers may add or change such paths.
	OwnerUnknown Owner = iota
	// OwnerRegistry: a path under the registry folder, whose records say
	// who may change them (an operator's maintainers, or ANS reviewers).
	OwnerRegistry
	// OwnerNotices: incident and maintenance notices, which anyone may
	// propose and whose author field must be the pull request's author.
	OwnerNotices
	// OwnerANS: code, schemas, workflows and documentation.
	OwnerANS
	// OwnerPublisher: the published Liste Blanche and the probe results,
	// written by the publishing identity's jobs on main, never by a pull
	// request.
	OwnerPublisher
)

// ansPaths are the top-level paths ANS reviewers own, folders with a
// trailing slash.
var ansPaths = []string{"tool/", "schemas/", ".github/", ".ci/", "go.mod", "go.sum", "README.md", ".gitignore",
	"status/README.md", "status/notices/.gitkeep", "whitelist/README.md"}

// OwnerOf says who owns a repository path, given the registry folder's
// path in the repository (status/ and whitelist/ are its siblings).
func OwnerOf(p, registryDir string) Owner {
	regDir := strings.Trim(path.Clean(registryDir), "/")
	if regDir == "." || regDir == "" {
		return OwnerRegistry
	}
	if p == regDir || strings.HasPrefix(p, regDir+"/") {
		return OwnerRegistry
	}
	top := path.Dir(regDir)
	if top != "." {
		if !strings.HasPrefix(p, top+"/") {
			return OwnerUnknown
		}
		p = strings.TrimPrefix(p, top+"/")
	}
	for _, a := range ansPaths {
		if p == a || strings.HasSuffix(a, "/") && strings.HasPrefix(p, a) {
			return OwnerANS
		}
	}
	switch {
	case strings.HasPrefix(p, "status/notices/"):
		return OwnerNotices
	case strings.HasPrefix(p, "status/"), strings.HasPrefix(p, "whitelist/"):
		return OwnerPublisher
	}
	return OwnerUnknown
}

// checkPaths gives every path of the change an owner: what falls outside
// the records is changed by its owner only, and nothing is skipped for
// being a kind of file the registry does not read. Without an author, only
// the rules that bind everyone apply (modes, published data).
func (c *Change) checkPaths() []registry.Finding {
	var out []registry.Finding
	reviewer := c.isReviewer()
	for _, pc := range c.Paths {
		p := pc.Path
		owner := OwnerOf(p, c.RegistryDir)
		switch owner {
		case OwnerRegistry, OwnerNotices:
			// The records' and notices' own rules decide, on their content,
			// and report symlinks, submodules and modes there.
			continue
		}
		if f, ok := c.checkMode(pc, owner, reviewer); ok {
			out = append(out, f)
		}
		switch owner {
		case OwnerPublisher:
			out = append(out, fileFinding(p, "CHG-PUBLISHED",
				"%s is written only by the publishing jobs on main (the signed Liste Blanche and the probe results); revert it in this pull request", p))
		case OwnerANS:
			if c.Author != "" && !reviewer {
				out = append(out, fileFinding(p, "CHG-AUTHOR",
					"%s changes %s, outside its operator's records; operators change only %s/operators/<operator>/ and status/notices/, the rest is reviewed and changed by ANS reviewers: revert it or ask the ANS",
					authorName(c.Author), p, c.registryDir()))
			}
		default:
			if c.Author != "" && !reviewer {
				out = append(out, fileFinding(p, "CHG-PATH",
					"%s is outside the repository's layout (%s/, status/notices/, and the ANS's tool/, schemas/, .github/); revert the change to it, or ask an ANS reviewer to make it",
					p, c.registryDir()))
			}
		}
	}
	return out
}

// checkMode: symlinks and submodules point outside the reviewed tree and
// are refused anywhere; an executable bit is set or cleared only by ANS
// reviewers, on code.
func (c *Change) checkMode(pc PathChange, owner Owner, reviewer bool) (registry.Finding, bool) {
	switch {
	case pc.New == ModeSymlink:
		return fileFinding(pc.Path, "CHG-MODE", "%s is a symlink; symlinks are not allowed in the repository, commit a regular file instead", pc.Path), true
	case pc.New == ModeSubmodule:
		return fileFinding(pc.Path, "CHG-MODE", "%s is a submodule link; submodules are not allowed in the repository, remove it (git rm --cached %s)", pc.Path, pc.Path), true
	case pc.New == ModeAbsent || pc.New == pc.Old || pc.Old == ModeAbsent && pc.New == ModeRegular:
		return registry.Finding{}, false
	case pc.New != ModeRegular && pc.New != ModeExecutable:
		return fileFinding(pc.Path, "CHG-MODE", "%s has git mode %o; commit a regular file (mode 100644)", pc.Path, pc.New), true
	case reviewer && owner == OwnerANS:
		return registry.Finding{}, false
	}
	if pc.Old == ModeAbsent {
		return fileFinding(pc.Path, "CHG-MODE", "%s is added as an executable file; file modes are set by ANS reviewers on code only, commit it as a regular file (git update-index --chmod=-x %s)", pc.Path, pc.Path), true
	}
	return fileFinding(pc.Path, "CHG-MODE", "%s changes file mode %06o → %06o; file modes are set by ANS reviewers on code only, restore mode %06o (git update-index --chmod=%s %s)",
		pc.Path, pc.Old, pc.New, pc.Old, chmodFlag(pc.Old), pc.Path), true
}

func chmodFlag(mode uint32) string {
	if mode == ModeExecutable {
		return "+x"
	}
	return "-x"
}

func (c *Change) registryDir() string {
	if c.RegistryDir == "" {
		return "registry"
	}
	return c.RegistryDir
}

func authorName(a string) string {
	if a == "" {
		return "the author"
	}
	return a
}
