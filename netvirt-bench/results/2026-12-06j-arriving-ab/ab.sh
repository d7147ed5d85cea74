#!/bin/bash
# A/B: base vs new, alternating, seed 3 forks each
for i in 1 2 3; do
  for v in base new; do
    java -jar /tmp/s36/$v.jar seed --warmup 3 --runs 31 --forks 3 --systems netvirt,floor,floor-rec2 > /tmp/s36/ab-$v-$i.txt 2>&1
    echo "$v $i: $(grep -E 'per-round seed-up netvirt/floor' /tmp/s36/ab-$v-$i.txt | grep -o "each JVM's median ([^)]*)")"
  done
done
#!/bin/bash
for i in 1 2; do
  for v in base new; do
    java -jar /tmp/s36/$v.jar star 100 --warmup 3 --runs 7 --forks 2 --systems netvirt,floor > /tmp/s36/ab2-$v-$i.txt 2>&1
    echo "$v $i: $(grep -E 'per-round star-100-up netvirt/floor' /tmp/s36/ab2-$v-$i.txt | grep -o "each JVM's median ([^)]*)") $(grep '^result star-100-up netvirt ' /tmp/s36/ab2-$v-$i.txt | grep -o 'median_ms=[0-9.]*')"
  done
done
