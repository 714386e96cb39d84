//go:build tools

// Package tools pins the Node.js language host that the Pulumi CLI starts to run
// a TypeScript program. Its standalone module is not served by the module proxy
// these machines reach, so it is built from the last sdk/v3 release that still
// carried it as a package.
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
)
