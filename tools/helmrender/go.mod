// helmrender is built offline in GOPATH mode (see build.sh): this go.mod only lets Go's
// minimal module compatibility map github.com/Masterminds/sprig/v3 onto Debian's
// /usr/share/gocode/src/github.com/Masterminds/sprig. It is never resolved as a module.
module helmrender

go 1.19
