#!/bin/bash
# make-benchmarks-md.sh TEMPLATE OUTDIR > BENCHMARKS.md
# Copies TEMPLATE, replacing each line "@@include NAME@@" with OUTDIR/NAME.txt in a code block and
# "@@targets@@" with every "# target" and "# bound" line of OUTDIR/*.txt: the numbers in BENCHMARKS.md are pasted
# from one run of the harness (bench-all.sh OUTDIR), never typed.
set -euo pipefail
TEMPLATE=$1; OUT=$2
while IFS= read -r line; do
    case "$line" in
    "@@include "*"@@")
        name=${line#@@include }; name=${name%@@}
        echo '```'; cat "$OUT/$name.txt"; echo '```' ;;
    "@@targets@@")
        echo '```'
        for f in seed star10 star100 star100-1000 cold tap; do
            [ -f "$OUT/$f.txt" ] && grep -E '^# (target|bound) ' "$OUT/$f.txt" | sed 's/^# //'
        done
        echo '```' ;;
    *) printf '%s\n' "$line" ;;
    esac
done < "$TEMPLATE"
