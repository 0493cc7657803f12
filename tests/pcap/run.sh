#!/usr/bin/env bash
# Replay every capture under the shared captures directory through
# BUILD_DIR/bin/pcapdecode and compare with the tshark-derived expectation.
#
# Usage: tests/pcap/run.sh BUILD_DIR
#        tests/pcap/run.sh --write-expected   (re)generate the checked-in files
#
# Captures: every *.pcap, *.pcapng, *.cap under $PCAP_CAPTURES (default: the
# repository's ../shared/captures), found afresh on each run. Expectation for
# <subdir>/<file>: tests/pcap/expected/<subdir>/<file>.txt when checked in,
# otherwise generated now by tests/pcap/gen-expected.py from tshark. "error"
# in an expectation matches any "error=<reason>" of pcapdecode.
#
# A capture passes when pcapdecode exits 0, prints nothing on stderr from a
# sanitizer, and its output equals the expectation. With an ASan build as
# BUILD_DIR every capture (the malformed/ ones included) runs under ASan.
# Then the hand-built captures of tests/pcap/synthetic.py, each against its
# hand-written expectation (and tshark's, as a check of the generator).
# Appends "pcap <passed> <failed>" (one count per capture) to BUILD_DIR/results.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
captures=${PCAP_CAPTURES:-$root/../shared/captures}
expdir=$here/expected
gen=$here/gen-expected.py

list_captures() {
	find "$captures" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | LC_ALL=C sort
}

if [ "${1:-}" = "--write-expected" ]; then
	command -v tshark >/dev/null || { echo "tshark is needed" >&2; exit 1; }
	list_captures | while read -r cap; do
		rel=${cap#"$captures"/}
		mkdir -p "$expdir/$(dirname "$rel")"
		python3 "$gen" -o "$expdir/$rel.txt" "$cap" || exit 1
		echo "wrote expected/$rel.txt ($(wc -l <"$expdir/$rel.txt") lines)"
	done
	exit $?
fi

build=${1:?usage: run.sh BUILD_DIR}
bin=$build/bin/pcapdecode
if [ ! -x "$bin" ]; then
	echo "pcap: $bin not built" >&2
	mkdir -p "$build"
	echo "pcap 0 1" >>"$build/results"
	echo "pcap: 0 passed, 1 failed"
	exit 1
fi
if [ ! -d "$captures" ]; then
	echo "pcap: no captures directory $captures" >&2
	exit 1
fi

asan=""
if nm "$bin" 2>/dev/null | grep -q '__asan_init'; then
	asan=" (ASan+UBSan build)"
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
echo "pcap: replaying $captures through $bin$asan"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# check REL CAPTURE EXPECTED NOTE [CROSS]: replay one capture and judge it.
# CROSS, for the hand-written synthetic expectations, also holds the
# tshark-derived one to the same text, which checks gen-expected.py itself.
check() {
	local rel=$1 cap=$2 exp=$3 note=$4 cross=${5:-} rc why=""
	"$bin" "$cap" >"$tmp/out.txt" 2>"$tmp/err.txt"
	rc=$?
	sed -E 's/ error=[^ ]*/ error/' "$tmp/out.txt" >"$tmp/got.txt"
	if [ "$rc" -ne 0 ]; then
		why="pcapdecode exit status $rc"
	elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$tmp/err.txt"; then
		why="sanitizer report"
	elif ! cmp -s "$exp" "$tmp/got.txt"; then
		why="output differs from the expectation"
	elif [ -n "$cross" ] && ! cmp -s "$exp" "$cross"; then
		why="tshark (gen-expected.py) disagrees with the hand-written expectation"
	fi
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		printf '  PASS %s (%s lines)%s\n' "$rel" "$(wc -l <"$tmp/got.txt")" "$note"
		return
	fi
	fail=$((fail + 1))
	printf '  FAIL %s: %s%s\n' "$rel" "$why" "$note"
	sed 's/^/    | /' "$tmp/err.txt" | head -40
	if [ -n "$cross" ] && cmp -s "$exp" "$tmp/got.txt"; then
		diff -u --label "expected $rel" --label "tshark $rel" "$exp" "$cross" | head -60 | sed 's/^/    /'
	else
		diff -u --label "expected $rel" --label "pcapdecode $rel" "$exp" "$tmp/got.txt" |
			head -60 | sed 's/^/    /'
	fi
}

while read -r cap; do
	rel=${cap#"$captures"/}
	exp=$expdir/$rel.txt
	note=""
	if [ ! -f "$exp" ]; then
		exp=$tmp/expected.txt
		note=" (no checked-in expectation: generated from tshark now)"
		if ! python3 "$gen" -o "$exp" "$cap" 2>"$tmp/gen.err"; then
			fail=$((fail + 1))
			printf '  FAIL %s: cannot generate the expectation\n' "$rel"
			sed 's/^/    | /' "$tmp/gen.err"
			continue
		fi
	fi
	check "$rel" "$cap" "$exp" "$note"
done < <(list_captures)

# Hand-built captures for the paths the public ones miss (tests/pcap/synthetic.py).
syn=$tmp/synthetic
if python3 "$here/synthetic.py" "$syn"; then
	for cap in "$syn"/*.pcap; do
		name=$(basename "$cap" .pcap)
		cross="" note=" (tshark cross-check skipped: no tshark)"
		if command -v tshark >/dev/null; then
			cross=$syn/$name.tshark note=""
			python3 "$gen" -o "$cross" "$cap" 2>/dev/null || : >"$cross"
		fi
		check "synthetic/$name.pcap" "$cap" "$syn/$name.txt" "$note" "$cross"
	done
else
	fail=$((fail + 1))
	echo "  FAIL synthetic: tests/pcap/synthetic.py failed"
fi

# The command line: exit status and extraction (-x) for the fuzz corpora.
cli() { # NAME CONDITION-EXIT-STATUS
	if [ "$2" -eq 0 ]; then
		pass=$((pass + 1)); echo "  PASS cli/$1"
	else
		fail=$((fail + 1)); echo "  FAIL cli/$1"
	fi
}
"$bin" "$tmp/no-such-file.pcap" >/dev/null 2>&1
[ $? -eq 1 ]; cli "unreadable file exits 1" $?
if [ -f "$syn/l2tp-shapes.pcap" ]; then
	"$bin" -x l2tp "$tmp/x/l2tp" "$syn/l2tp-shapes.pcap" >"$tmp/x.out" 2>&1
	# frame 8 is the ZLB of tunnel 5, Ns 3, Nr 4 (RFC 2661 §3.1 header only)
	zlb=$(od -An -tx1 "$tmp/x/l2tp/l2tp-shapes.pcap-8-0" 2>/dev/null | tr -d ' \n')
	n=$(find "$tmp/x/l2tp" -type f 2>/dev/null | wc -l)
	# 17 frames carry UDP 1701 payloads (not 13: port 1702, nor 14: a fragment)
	[ ! -s "$tmp/x.out" ] && [ "$zlb" = c802000c0005000000030004 ] && [ "$n" -eq 17 ]
	cli "-x l2tp writes each UDP 1701 payload ($n files)" $?
	"$bin" -x ppp "$tmp/x/ppp" "$syn/ppp-link.pcap" >/dev/null 2>&1
	first=$(od -An -tx1 "$tmp/x/ppp/ppp-link.pcap-2-0" 2>/dev/null | tr -d ' \n')
	[ "$first" = ff03c0210901000811223344 ]
	cli "-x ppp writes PPP frames from ff 03" $?
fi

mkdir -p "$build"
echo "pcap $pass $fail" >>"$build/results"
echo "pcap: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
