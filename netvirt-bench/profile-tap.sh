#!/bin/bash
# profile-tap.sh SYSTEM [SECONDS]: runs the tap workload for one netvirt path (netvirt-stream or
# netvirt-bytebuffer, no C peer) under Java Flight Recorder (samples every 2 ms) and prints what the
# writer and reader threads were doing: "native" samples are inside a system call.
set -euo pipefail
D=$(cd "$(dirname "$0")" && pwd)
SYSTEM=${1:?netvirt-stream or netvirt-bytebuffer}; SECS=${2:-2}
TMP=$(mktemp -d /tmp/bn-jfr-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cat > "$TMP/s.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>
  <event name="jdk.NativeMethodSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>
</configuration>
JFC
java -XX:StartFlightRecording=filename="$TMP/rec.jfr",settings="$TMP/s.jfc" -jar "${JAR:-$D/target/netvirt-bench.jar}" \
    tap --runs 1 --seconds "$SECS" --systems "$SYSTEM" | grep -E '^# run ' || true
java -cp "$D/target/netvirt-bench.jar" io.github.netvirt.bench.profile.JfrSummary tap "$TMP/rec.jfr"
