#!/bin/bash
# bench-all.sh [OUTDIR]: runs every netvirt-bench workload once, in sequence, and keeps each output
# (the result/ratio lines BENCHMARKS.md quotes) in OUTDIR (default netvirt-bench/target/bench).
# Needs root and the runnable jar: mvn -B -o -q -pl netvirt-bench package -DskipTests
# Sizes: RUNS_SEED, FORKS_SEED, RUNS_STAR100, FORKS_STAR100, WARMUP_SEED_WARM, WARMUP_STAR10_WARM, RUNS_COLD, RUNS_STAR10, PEER_RUNS_STAR10, RUNS_STAR, PEER_RUNS_STAR,
# QUIET_RUNS_STAR, RUNS_TAP, TAP_SECONDS
# override the defaults below.
set -euo pipefail
D=$(cd "$(dirname "$0")" && pwd)
JAR=$D/target/netvirt-bench.jar
OUT=${1:-$D/target/bench}
mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "build the jar first: mvn -B -o -q -pl netvirt-bench package -DskipTests" >&2; exit 2; }

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "nproc: $(nproc)"
    echo "uname -r: $(uname -r)"
    echo "java: $(java -version 2>&1 | head -2 | tr '\n' ' ')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "memory: $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
    echo "iproute2: $(ip -V)"
    echo "loadavg before: $(cat /proc/loadavg)"
    echo "other processes busy at start (top 8 by CPU):"
    ps -eo pcpu,comm --sort=-pcpu | head -9 | tail -8 | sed 's/^/  /'
} | tee "$OUT/machine.txt"

run() {
    local name=$1; shift
    echo "== $name: java -jar netvirt-bench.jar $*" >&2
    # one failing workload must not cost the others: say so in its output and go on
    java -jar "$JAR" "$@" | tee "$OUT/$name.txt" || echo "# FAILED: java -jar netvirt-bench.jar $* (exit $?)" | tee -a "$OUT/$name.txt"
    echo "loadavg after $name: $(cat /proc/loadavg)" | tee -a "$OUT/machine.txt" >&2
}

# Rounds: enough for a target's per-round lines to settle it where they can (the median's 95% interval
# on one side of its limit): 31 for the seed, 45 with every peer for star 10 (15 left the Go lines
# undecided), 21 for TAP. The seed's rounds in 9 JVMs: one JVM's JIT state moves all its rounds, and the
# JVMs' medians decide its targets.
run seed seed --warmup 3 --runs "${RUNS_SEED:-31}" --forks "${FORKS_SEED:-9}"
# the same after the JIT has compiled netvirt's apply path (it compiles for a few hundred applies): not targets
run seed-warm seed --warmup "${WARMUP_SEED_WARM:-500}" --runs 25 --systems netvirt,netvirt-netlink,floor,floor-lo,floor-lo2,floor-rec2,go-netlink
run star10 star 10 --warmup 2 --runs "${RUNS_STAR10:-45}" --peer-runs "${PEER_RUNS_STAR10:-45}"
run star10-warm star 10 --warmup "${WARMUP_STAR10_WARM:-100}" --runs 11 --peer-runs 11 --systems netvirt,floor,floor-lo2,floor-rec2,go-netlink
# star 100's targets in 7 JVMs, Go's among them: one JVM's few rounds rarely decide them (star100-1000
# gives the peers 3 rounds, for ip-batch at N = 1000)
run star100 star 100 --warmup 3 --runs "${RUNS_STAR100:-11}" --forks "${FORKS_STAR100:-7}" --systems netvirt,floor,floor-lo2,floor-rec2,go-netlink
run star100-1000 star 100,1000 --warmup 1 --runs "${RUNS_STAR:-5}" --peer-runs "${PEER_RUNS_STAR:-3}" --quiet-runs "${QUIET_RUNS_STAR:-5}"
run cold cold --warmup 3 --runs "${RUNS_COLD:-10}"
run tap tap --runs "${RUNS_TAP:-21}" --seconds "${TAP_SECONDS:-0.5}"
run memory memory
run profile profile --warmup 1 --runs 5
echo "== profile-apply (JFR)" >&2
"$D/profile-apply.sh" seed --warmup 3 --runs 20 | tee "$OUT/jfr-seed.txt" || true
"$D/profile-apply.sh" star 100 --warmup 1 --runs 5 | tee "$OUT/jfr-star100.txt" || true
"$D/profile-tap.sh" netvirt-stream 2 | tee "$OUT/jfr-tap-stream.txt" || true
echo "outputs in $OUT" >&2
