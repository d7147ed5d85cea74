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
java -XX:StartFlightRecording=filename="$TMP/rec.jfr",settings="$TMP/s.jfc" -jar "$D/target/netvirt-bench.jar" \
    tap --runs 1 --seconds "$SECS" --systems "$SYSTEM" | grep -E '^# run ' || true
jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 8 "$TMP/rec.jfr" > "$TMP/rec.txt"
/usr/bin/python3 - "$TMP/rec.txt" <<'PY'
import re, sys, collections
events = re.split(r'\n(?=jdk\.\w+ \{)', open(sys.argv[1]).read())
by, per = collections.Counter(), collections.Counter()
for e in events:
    m = re.search(r'sampledThread = "([^"]+)"', e)
    if not m or not m.group(1).startswith('tap-'):
        continue
    fr = [f.split('.')[-2] + '.' + f.split('.')[-1] for f in re.findall(r'^\s+([\w.$<>]+)\(.*?\)\s+line:', e, re.M)]
    kind = 'native' if e.startswith('jdk.NativeMethodSample') else 'java'
    per[m.group(1)] += 1
    by[(m.group(1), kind, ' < '.join(fr[:3]))] += 1
print('samples (2 ms apart) of the writer and reader threads, all sizes and modes:')
for (th, kind, where), n in by.most_common(12):
    print('  %-10s %5d (%4.1f%%) %-6s %s' % (th, n, 100.0 * n / per[th], kind, where))
PY
