#!/usr/bin/env bash
# Build a corpus for each libFuzzer harness and run it for a while.
#
# Usage: tests/fuzz/run.sh FUZZ_BUILD BUILD SECONDS FUZZER...
#   FUZZ_BUILD  where the harnesses were built (make fuzz-build)
#   BUILD       build directory holding bin/pcapdecode; gets the results line
#   SECONDS     -max_total_time of each timed run
#   FUZZER      harness names (fuzz_l2tp, fuzz_ppp_lcp, fuzz_frame ...)
# Environment: FUZZ_SMOKE=1 first replays every corpus input once (-runs=0),
# then does the timed run; PCAP_CAPTURES overrides the capture directory.
#
# Corpus of fuzz_<proto>[_...]: FUZZ_BUILD/corpus/<fuzzer>, made of
# tests/fuzz/seeds/<fuzzer>/ plus every <proto> message of every capture,
# extracted by `BUILD/bin/pcapdecode -x <proto>`. A crash, leak, timeout or
# sanitizer report fails the harness; the reproducer's path is printed.
# Appends "fuzz <passed> <failed>" to BUILD/results. See tests/fuzz/README.md.
set -u
if [ $# -lt 3 ]; then
	echo "usage: $0 FUZZ_BUILD BUILD SECONDS FUZZER..." >&2
	exit 2
fi
fuzz_build=$1 build=$2 seconds=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
captures=${PCAP_CAPTURES:-$root/../shared/captures}
pcapdecode=$build/bin/pcapdecode

mapfile -t caps < <(find "$captures" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) 2>/dev/null | LC_ALL=C sort)

pass=0 fail=0
for fz in "$@"; do
	bin=$fuzz_build/$fz
	name=${fz#fuzz_}
	proto=${name%%_*}
	corpus=$fuzz_build/corpus/$fz
	artifacts=$fuzz_build/artifacts/$fz
	log=$fuzz_build/$fz.log
	mkdir -p "$corpus" "$artifacts"
	echo "== $fz"
	if [ ! -x "$bin" ]; then
		echo "  FAIL $fz: $bin not built"
		fail=$((fail + 1))
		continue
	fi

	nseeds=0
	if [ -d "$here/seeds/$fz" ]; then
		cp -f "$here/seeds/$fz"/* "$corpus"/ 2>/dev/null
		nseeds=$(find "$here/seeds/$fz" -type f | wc -l)
	fi
	extracted="no pcapdecode"
	if [ -x "$pcapdecode" ] && [ ${#caps[@]} -gt 0 ]; then
		xdir=$fuzz_build/extract/$fz
		rm -rf "$xdir" && mkdir -p "$xdir"
		"$pcapdecode" -x "$proto" "$xdir" "${caps[@]}" >/dev/null 2>"$log.x"
		case $? in
		0) extracted="$(find "$xdir" -type f | wc -l) $proto messages from ${#caps[@]} captures"
		   cp -f "$xdir"/* "$corpus"/ 2>/dev/null ;;
		2) extracted="pcapdecode cannot extract '$proto'" ;;
		*) extracted="extraction incomplete ($(head -1 "$log.x")): $(find "$xdir" -type f | wc -l) $proto messages"
		   cp -f "$xdir"/* "$corpus"/ 2>/dev/null ;;
		esac
	fi
	echo "  corpus $corpus: $nseeds seeds, $extracted, $(find "$corpus" -type f | wc -l) files"

	ok=1
	opts=(-artifact_prefix="$artifacts/" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
	if [ "${FUZZ_SMOKE:-0}" = 1 ]; then
		# -runs=0 executes every corpus input once while loading it.
		if "$bin" "${opts[@]}" -runs=0 "$corpus" >"$log.replay" 2>&1; then
			echo "  replay: $(find "$corpus" -type f | wc -l) inputs, no crash"
		else
			ok=0
			echo "  replay FAILED:"
			grep -E 'ERROR|SUMMARY|Test unit written to|Running:' "$log.replay" | head -10 | sed 's/^/    | /'
		fi
	fi
	if [ "$ok" = 1 ]; then
		if "$bin" "${opts[@]}" -max_total_time="$seconds" "$corpus" >"$log" 2>&1; then
			done_line=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second\(s\)' "$log" | tail -1)
			echo "  ${done_line:-no 'Done' line}"
		else
			ok=0
			echo "  run FAILED (log $log):"
			grep -E 'ERROR|SUMMARY|Test unit written to|Done [0-9]+ runs' "$log" | head -10 | sed 's/^/    | /'
		fi
	fi
	if [ "$ok" = 1 ]; then
		pass=$((pass + 1))
		echo "  PASS $fz"
	else
		fail=$((fail + 1))
		echo "  FAIL $fz (reproducers in $artifacts/)"
	fi
done

mkdir -p "$build"
echo "fuzz $pass $fail" >>"$build/results"
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
