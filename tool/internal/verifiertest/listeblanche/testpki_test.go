package listeblanchetest

import (
	"os/exec"
	"strings"
	"testing"
)

// The verifying path never links the test PKI that makes the kit.
func TestNoTestPKIOnTheVerifyingPath(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps",
		"github.com/drim-m/trust-space/tool/listeblanche",
		"github.com/drim-m/trust-space/tool/internal/whitelist",
		"github.com/drim-m/trust-space/tool/internal/whitelist/fetch",
		"github.com/drim-m/trust-space/tool/listeblanche/xades",
		"github.com/drim-m/trust-space/tool/listeblanche/crl").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := string(out)
	if !strings.Contains(deps, "tool/listeblanche/xades\n") {
		t.Fatalf("go list lists no dependency:\n%s", deps)
	}
	for _, forbidden := range []string{"tool/internal/testpki", "tool/internal/whitelist/kit", "tool/internal/sim"} {
		if strings.Contains(deps, forbidden+"\n") {
			t.Errorf("the verifying path imports %s", forbidden)
		}
	}
}
