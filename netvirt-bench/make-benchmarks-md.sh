#!/bin/bash
# make-benchmarks-md.sh TEMPLATE OUTDIR [OUTDIR2] > BENCHMARKS.md
# Copies TEMPLATE, replacing each line "@@include NAME@@" with OUTDIR/NAME.txt in a code block,
# "@@targets@@" with every "# target" line of OUTDIR/*.txt, and "@@brief NAME@@" with the result,
# ratio, target and per-host lines of OUTDIR2/NAME.txt (an earlier run): the numbers in
# BENCHMARKS.md are pasted from the harness's output, never typed.
set -euo pipefail
TEMPLATE=$1; OUT=$2; OUT2=${3:-}
while IFS= read -r line; do
    case "$line" in
    "@@include "*"@@")
        name=${line#@@include }; name=${name%@@}
        echo '```'; cat "$OUT/$name.txt"; echo '```' ;;
    "@@brief "*"@@")
        name=${line#@@brief }; name=${name%@@}
        echo '```'
        if [ "$name" = machine ]; then cat "$OUT2/$name.txt"
        else grep -E '^(result|ratio|memory) |^# (target|per-host|machine|netvirt-bench|raw)' "$OUT2/$name.txt" || true; fi
        echo '```' ;;
    "@@targets@@")
        echo '```'
        for f in seed star10 star100-1000 tap; do
            [ -f "$OUT/$f.txt" ] && grep '^# target' "$OUT/$f.txt" | sed 's/^# //'
        done
        echo '```' ;;
    *) printf '%s\n' "$line" ;;
    esac
done < "$TEMPLATE"
