#!/bin/bash
# profile-apply.sh WORKLOAD... : runs `java -jar netvirt-bench.jar WORKLOAD... --systems netvirt` under
# Java Flight Recorder (thread parks with no threshold, native and Java samples every 2 ms) and
# prints where netvirt's apply (CoreTopo.up -> Topology.apply) spends its wall time, per apply:
# the main thread's parks (waiting for other threads) by call site, its samples by call site, and
# what netvirt's own threads (netvirt-apply-*, netvirt-switch-*) were sampled doing.
# e.g.  netvirt-bench/profile-apply.sh seed --runs 30 --warmup 3
set -euo pipefail
D=$(cd "$(dirname "$0")" && pwd)
JAR=$D/target/netvirt-bench.jar
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
jfr print --events jdk.ThreadPark,jdk.NativeMethodSample,jdk.ExecutionSample --stack-depth 40 "$TMP/rec.jfr" > "$TMP/rec.txt"
/usr/bin/python3 - "$TMP/rec.txt" <<'PY'
import re, sys, collections
text = open(sys.argv[1]).read()
events = re.split(r'\n(?=jdk\.\w+ \{)', text)
UNIT = {'ns': 1e-6, 'us': 1e-3, 'ms': 1.0, 's': 1000.0}
SKIP = ('LockSupport', 'AbstractQueued', 'ForkJoin', 'CompletableFuture', 'FutureTask', 'ThreadPool', 'Unsafe',
        'Thread.', 'ConditionNode', 'LinkedBlockingQueue')
def frames(e):
    return [f.split('.')[-2] + '.' + f.split('.')[-1] for f in re.findall(r'^\s+([\w.$<>]+)\(.*?\)\s+line:', e, re.M)]
def ms(e):
    m = re.search(r'duration = ([\d.]+) (\w+)', e)
    return float(m.group(1)) * UNIT.get(m.group(2), 1.0) if m else 0.0
applies = 0
park, parkn, main, own = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
for e in events:
    th = re.search(r'(?:eventThread|sampledThread) = "([^"]+)"', e)
    if not th:
        continue
    th = th.group(1)
    fr = frames(e)
    kind = 'park' if e.startswith('jdk.ThreadPark') else 'sample'
    if th == 'main' and any(f.endswith('CoreTopo.up') for f in fr):
        key = ' < '.join([f for f in fr if not f.startswith(SKIP)][:4])
        if kind == 'park':
            park[key] += ms(e); parkn[key] += 1
        else:
            main[key] += 1
    elif th.startswith(('netvirt-apply', 'netvirt-switch')) and kind == 'sample':
        own[th.split('-')[1] + ': ' + ' < '.join([f for f in fr if not f.startswith(SKIP)][:3])] += 1
# one Topology.apply per measured or warm-up round: count the distinct apply calls from the result line runs
print('main thread, parked (waiting for another thread), ms summed over all applies, by call site:')
for k, v in park.most_common(8):
    print('  %9.1f ms in %5d parks  %s' % (v, parkn[k], k))
print('main thread, samples (2 ms apart, running or in native code) during apply, by call site:')
for k, v in main.most_common(10):
    print('  %5d  %s' % (v, k))
print("netvirt's own threads, samples (2 ms apart), by call site:")
for k, v in own.most_common(12):
    print('  %5d  %s' % (v, k))
PY
