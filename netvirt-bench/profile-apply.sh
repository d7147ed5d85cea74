#!/bin/bash
# profile-apply.sh WORKLOAD... : runs `java -jar netvirt-bench.jar WORKLOAD... --systems netvirt` under
# Java Flight Recorder (thread parks with no threshold, native and Java samples every 2 ms) and
# prints where netvirt's apply (CoreTopo.up -> Topology.apply) spends its wall time, per apply:
# the main thread's parks (waiting for other threads) by call site, its samples by call site, and
# what netvirt's own threads (netvirt-apply-*, netvirt-switch-*) were sampled doing.
# e.g.  netvirt-bench/profile-apply.sh seed --runs 30 --warmup 3
set -euo pipefail
D=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-$D/target/netvirt-bench.jar}
TMP=$(mktemp -d /tmp/bn-jfr-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cat > "$TMP/park.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ThreadPark"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">0 ms</setting></event>
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>
  <event name="jdk.NativeMethodSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>
</configuration>
JFC
java -XX:StartFlightRecording=filename="$TMP/rec.jfr",settings="$TMP/park.jfc" -jar "$JAR" "$@" --systems netvirt \
    | grep -E '^result .*-up netvirt ' | sed 's/^/# /'
java -cp "$JAR" io.github.netvirt.bench.profile.JfrSummary apply "$TMP/rec.jfr"
