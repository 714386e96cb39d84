//go:build tools

// Package tools pins the Pulumi CLI that the real-engine tests, examples,
// benchmark and soak run: `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi`
// in this module builds it from the Go module proxy.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
