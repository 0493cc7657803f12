#!/usr/bin/env bash
# Run every tests/sim/*.sh scenario (network namespaces, needs root).
# Each script prints its own checks and exits non-zero on failure.
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0
shopt -s nullglob
for t in "$here"/[0-9a-z]*.sh; do
	case $(basename "$t") in run.sh | *lib.sh) continue ;; esac # runner, sourced helpers
	echo "== sim $(basename "$t")"
	if BUILD=$build bash "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "  FAIL $(basename "$t")"; fi
done
echo "sim $pass $fail" >>"$build/results"
echo "sim: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
