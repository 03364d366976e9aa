package cli

import (
	"context"
	"fmt"

	"github.com/drim-m/trust-space/tool/internal/registry"
)

func validateChange(ctx context.Context, opts *validateOptions, dir string) ([]registry.Finding, error) {
	return nil, fmt.Errorf("not yet")
}
