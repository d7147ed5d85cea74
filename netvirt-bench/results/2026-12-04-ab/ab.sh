#!/bin/bash
n=$1; old=$2; new=$3
for i in $(seq 1 $n); do
  if [ $((i % 2)) = 0 ]; then first=$old; second=$new; else first=$new; second=$old; fi
  r1=$(java -cp $first:/tmp/sp SeedTime 3 15 | sed 's/median_ms=//')
  r2=$(java -cp $second:/tmp/sp SeedTime 3 15 | sed 's/median_ms=//')
  if [ $first = $old ]; then echo "$r1 $r2"; else echo "$r2 $r1"; fi
done > /tmp/sp/pairs.txt
python3 - <<'P'
import statistics as st
p=[tuple(map(float,l.split())) for l in open('/tmp/sp/pairs.txt')]
r=[n/o for o,n in p]
print("pairs:", p)
print("paired median new/old %.3f, new faster in %d of %d, medians old %.3f new %.3f" % (st.median(r), sum(1 for o,n in p if n<o), len(p), st.median([o for o,n in p]), st.median([n for o,n in p])))
P
