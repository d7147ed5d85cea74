#!/bin/bash
# star.sh up|down N: the star a test harness builds, by one of two iproute2 peers (IMPL):
#   namespace ${PREFIX}br          bridge "pbbr" (up); ports pbh1..pbhN (master pbbr, up)
#   namespace ${PREFIX}h<i>, 1..N  "pbeth" (up), veth peer of pbh<i>, address 10.213.<i/256>.<i%256>/16
#   lo stays down everywhere, as in the seed recipe. PREFIX defaults to "pbs-".
#
# IMPL=iproute2-exec (default): the seed recipe's style, one `ip` process per command, veth pairs made
#   in the root namespace under temporary names, then renamed and moved; every command inside a
#   namespace through `ip netns exec`.
# IMPL=ip-batch: `ip -batch`, which cannot switch namespace per line and can add an address only from
#   inside its namespace: one batch in the root namespace (namespaces), one in the bridge's (the bridge,
#   and each veth created with its port end enslaved and up and its other end placed in its host's
#   namespace), then one per host (address, up). N + 2 processes.
# Both leave the same state. `down` deletes the namespaces (their devices go with them).
set -euo pipefail
IMPL=${IMPL:-iproute2-exec}
P=${PREFIX:-pbs-}
BR=${P}br
cmd=${1:-}; N=${2:-}
case "$N" in ''|*[!0-9]*) echo "usage: [IMPL=iproute2-exec|ip-batch] [PREFIX=p] $0 up|down N" >&2; exit 2 ;; esac
if [ "$N" -lt 1 ] || [ "$N" -gt 65000 ]; then echo "N must be 1..65000" >&2; exit 2; fi

exec_up() {
    if [ $((${#P} + 1 + ${#N})) -gt 15 ]; then echo "PREFIX too long for the temporary names ${P}a$N" >&2; exit 2; fi
    ip netns add "$BR"
    ip netns exec "$BR" ip link add name pbbr type bridge
    ip netns exec "$BR" ip link set dev pbbr up
    for ((i = 1; i <= N; i++)); do
        ip netns add "${P}h$i"
        ip link add "${P}a$i" type veth peer name "${P}b$i"
        ip link set dev "${P}a$i" name pbeth netns "${P}h$i"
        ip link set dev "${P}b$i" name "pbh$i" netns "$BR"
        ip netns exec "$BR" ip link set dev "pbh$i" up
        ip netns exec "$BR" ip link set dev "pbh$i" master pbbr
        ip netns exec "${P}h$i" ip link set dev pbeth up
        ip netns exec "${P}h$i" ip address add "10.213.$((i / 256)).$((i % 256))/16" dev pbeth
    done
}

exec_down() {
    for ((i = 1; i <= N; i++)); do ip netns del "${P}h$i"; done
    ip netns del "$BR"
}

batch_up() {
    { echo "netns add $BR"
      for ((i = 1; i <= N; i++)); do echo "netns add ${P}h$i"; done; } | ip -batch -
    { echo "link add name pbbr up type bridge"
      for ((i = 1; i <= N; i++)); do
          echo "link add name pbh$i master pbbr up type veth peer name pbeth netns ${P}h$i"
      done; } | ip -n "$BR" -batch -
    for ((i = 1; i <= N; i++)); do
        printf 'address add 10.213.%d.%d/16 dev pbeth\nlink set dev pbeth up\n' $((i / 256)) $((i % 256)) \
            | ip -n "${P}h$i" -batch -
    done
}

batch_down() {
    { for ((i = 1; i <= N; i++)); do echo "netns del ${P}h$i"; done; echo "netns del $BR"; } | ip -batch -
}

case "$IMPL:$cmd" in
iproute2-exec:up) exec_up ;;
iproute2-exec:down) exec_down ;;
ip-batch:up) batch_up ;;
ip-batch:down) batch_down ;;
*) echo "usage: [IMPL=iproute2-exec|ip-batch] [PREFIX=p] $0 up|down N" >&2; exit 2 ;;
esac
