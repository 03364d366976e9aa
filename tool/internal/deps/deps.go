package deps

import (
	_ "github.com/ThalesGroup/crypto11"
	_ "github.com/beevik/etree"
	_ "github.com/go-git/go-git/v5"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/google/go-github/v60/github"
	_ "github.com/rhysd/actionlint"
	_ "github.com/rogpeppe/go-internal/testscript"
	_ "github.com/russellhaering/goxmldsig"
	_ "github.com/santhosh-tekuri/jsonschema/v5"
	_ "github.com/spf13/cobra"
	_ "github.com/spf13/cobra/doc"
	_ "gopkg.in/yaml.v3"
)
