#!/usr/bin/env bash
# `npm run setup:pulumi`: the real Pulumi CLI, its Node.js language host and the Node.js releases
# the real-CLI suite runs programs under, in .tools/ (ignored). Reuses what is there when its
# version matches; builds the rest from the Go module proxy and the npm registry.
#
#   .tools/bin/pulumi                          the CLI (tools/pulumi-cli)
#   .tools/bin/pulumi-language-nodejs          the Node.js language host (tools/pulumi-language-nodejs)
#   .tools/bin/pulumi-resource-pulumi-nodejs   the dynamic-provider plugin, shipped in @pulumi/pulumi
#   tools/node-runtimes/node_modules/node22, node24   Node.js 22 and 24 (tools/node-runtimes)
#   .tools/bin/actionlint                      the GitHub workflow linter the real-CLI suite runs (tools/actionlint)
#
# Users run their own `pulumi` and Node.js; this is how these machines, and CI, get them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/bin"
mkdir -p "$bin"


# The version a go.mod requires of a module, on a `require` line or inside a `require (...)` block.
required() { sed -nE "s#^(require[[:space:]]+)?[[:space:]]*$2[[:space:]]+(v[^[:space:]]+).*#\2#p" "$1" | head -n 1; }

version="$(required "$root/tools/pulumi-cli/go.mod" github.com/pulumi/pulumi/pkg/v3)"
if [[ ! -x "$bin/pulumi" && "${PULUMI_SETUP_BUILD:-}" != 1 ]] && command -v pulumi >/dev/null && command -v pulumi-language-nodejs >/dev/null; then
  echo "pulumi $(pulumi version): using the CLI on PATH (PULUMI_SETUP_BUILD=1 builds $version into .tools/bin instead)"
elif [[ -x "$bin/pulumi" && "$(if [[ -x "$bin/pulumi" ]]; then "$bin/pulumi" version; fi 2>/dev/null)" == "$version" ]]; then
  echo "pulumi $version: reusing .tools/bin/pulumi"
else
  echo "pulumi $version: building from the Go module proxy (a few minutes on a new machine)..."
  (cd "$root/tools/pulumi-cli" && go build -trimpath \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
fi

host_version="$(required "$root/tools/pulumi-language-nodejs/go.mod" github.com/pulumi/pulumi/sdk/v3)"
if [[ ! -x "$bin/pulumi" ]]; then
  : # the CLI on PATH brings its own language host
elif [[ -x "$bin/pulumi-language-nodejs" && -f "$bin/.language-host-version" && "$(cat "$bin/.language-host-version")" == "$host_version" ]]; then
  echo "pulumi-language-nodejs $host_version: reusing .tools/bin/pulumi-language-nodejs"
else
  echo "pulumi-language-nodejs $host_version: building from the Go module proxy..."
  (cd "$root/tools/pulumi-language-nodejs" && go build -trimpath \
    -o "$bin/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs)
  echo "$host_version" > "$bin/.language-host-version"
fi

plugin="$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
[[ -f "$plugin" ]] || { echo "setup-pulumi: node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs is missing: run npm ci first" >&2; exit 1; }
[[ ! -x "$bin/pulumi" ]] || install -m 0755 "$plugin" "$bin/pulumi-resource-pulumi-nodejs"

runtimes="$root/tools/node-runtimes"
if [[ -x "$runtimes/node_modules/node22/bin/node" && -x "$runtimes/node_modules/node24/bin/node" ]]; then
  echo "Node.js $("$runtimes/node_modules/node22/bin/node" --version) and $("$runtimes/node_modules/node24/bin/node" --version): reusing tools/node-runtimes"
else
  echo "Node.js 22 and 24: installing from the npm registry..."
  (cd "$runtimes" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

lint_version="$(required "$root/tools/actionlint/go.mod" github.com/rhysd/actionlint)"
if [[ -x "$bin/actionlint" && "$("$bin/actionlint" -version 2>/dev/null | head -n 1)" == "$lint_version" ]]; then
  echo "actionlint $lint_version: reusing .tools/bin/actionlint"
else
  echo "actionlint $lint_version: building from the Go module proxy..."
  (cd "$root/tools/actionlint" && go build -trimpath \
    -ldflags "-X github.com/rhysd/actionlint.version=$lint_version" \
    -o "$bin/actionlint" github.com/rhysd/actionlint/cmd/actionlint)
fi

if [[ -x "$bin/pulumi" ]]; then "$bin/pulumi" version; fi
