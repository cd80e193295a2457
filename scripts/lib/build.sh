# shellcheck shell=bash
# Configures and builds into a build directory; quiet unless something fails.
# Sourced by scripts/demo and scripts/test (which set ROOT).

# build::run DIR [cmake -D options...] [--target T...]
build::run() {
  local dir=$ROOT/$1; shift
  local options=() targets=()
  while [ $# -gt 0 ]; do
    if [ "$1" = --target ]; then targets+=(--target "$2"); shift; else options+=("$1"); fi
    shift
  done
  mkdir -p "$dir"
  if ! cmake -S "$ROOT" -B "$dir" "${options[@]}" >"$dir/configure.log" 2>&1; then
    tail -n 40 "$dir/configure.log"
    return 1
  fi
  if ! cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" "${targets[@]}" \
      >"$dir/build.log" 2>&1; then
    grep -E -A5 'error|Error' "$dir/build.log" | head -n 100
    return 1
  fi
}
