#!/bin/sh
# Builds tools/helmrender offline from Debian's Go packages:
#   apt-get install golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev
# usage: tools/helmrender/build.sh OUTDIR      -> OUTDIR/helmrender
#
# GOPATH mode with the tool's directory under $GOPATH/src *and* a go.mod: Go's minimal module
# compatibility then maps .../sprig/v3 and .../semver/v3 imports onto Debian's
# /usr/share/gocode/src/github.com/Masterminds/{sprig,semver}. (Module mode with `replace`
# fails on sprig's test-only requirements; plain GOPATH mode cannot resolve the /v3 paths.)
set -eu
out=${1:?usage: build.sh OUTDIR}
src=$(cd "$(dirname "$0")" && pwd)
command -v go >/dev/null || { echo "build.sh: go not found (apt-get install golang-go)" >&2; exit 1; }
for d in github.com/Masterminds/sprig sigs.k8s.io/yaml; do
  [ -d "/usr/share/gocode/src/$d" ] || {
    echo "build.sh: /usr/share/gocode/src/$d missing (apt-get install golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev)" >&2
    exit 1
  }
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/helmrender" "$tmp/cache"
cp "$src"/*.go "$src/go.mod" "$tmp/src/helmrender/"
cd "$tmp/src/helmrender"
GO111MODULE=off GOPATH="$tmp:/usr/share/gocode" GOPROXY=off GOFLAGS='' GOCACHE="${GOCACHE:-$tmp/cache}" \
  CGO_ENABLED=0 go build -o "$out/helmrender" .
