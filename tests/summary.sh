#!/usr/bin/env bash
# Add up the per-suite counts written by the suite runners.
set -u
p=0 f=0
for r in "$@"; do
	[ -f "$r" ] || continue
	while read -r suite a b; do
		printf '  %-12s %4d passed %4d failed  (%s)\n' "$suite" "$a" "$b" "$(dirname "$r")"
		p=$((p + a)); f=$((f + b))
	done <"$r"
done
echo "check: $p passed, $f failed"
[ "$f" -eq 0 ]
