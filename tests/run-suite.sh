#!/usr/bin/env bash
# Run test binaries of one suite; print each verdict and a closing count.
# Usage: run-suite.sh BUILD_DIR SUITE BINARY...
# Appends "SUITE passed failed" to BUILD_DIR/results for tests/summary.sh.
set -u
build=$1 suite=$2; shift 2
pass=0 fail=0 failed=()
export CMOCKA_MESSAGE_OUTPUT=stdout
for t in "$@"; do
	log="$t.log"
	if "$t" >"$log" 2>&1; then
		pass=$((pass + 1))
		printf '  PASS %s (%s)\n' "$(basename "$t")" "$(grep -Eo '[0-9]+ test\(s\)' "$log" | tail -1)"
	else
		fail=$((fail + 1)); failed+=("$t")
		printf '  FAIL %s\n' "$(basename "$t")"
		sed 's/^/    | /' "$log" | tail -40
	fi
done
mkdir -p "$build"
echo "$suite $pass $fail" >>"$build/results"
echo "$suite: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
