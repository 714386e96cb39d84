//go:build tools

// Package tools pins actionlint, which the real-CLI suite runs on the
// repository's GitHub workflows: `go build github.com/rhysd/actionlint/cmd/actionlint`
// in this module builds it from the Go module proxy.
package tools

import (
	_ "github.com/rhysd/actionlint/cmd/actionlint"
)
