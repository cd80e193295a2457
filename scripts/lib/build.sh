# shellcheck shell=bash
# Configures and builds into a build directory; quiet unless something fails.
# Sourced by scripts/demo and scripts/test (which set ROOT).

# build::run DIR [cmake -D options...]
build::run() {
  local dir=$ROOT/$1; shift
  mkdir -p "$dir"
  if ! cmake -S "$ROOT" -B "$dir" "$@" >"$dir/configure.log" 2>&1; then
    tail -n 40 "$dir/configure.log"
    return 1
  fi
  if ! cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" >"$dir/build.log" 2>&1; then
    grep -E -A5 'error|Error' "$dir/build.log" | head -n 100
    return 1
  fi
}
