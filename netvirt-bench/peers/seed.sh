#!/bin/sh
# seed.sh up|down: the seed recipe of README.md as a shell script, one `ip` process per command, in the
# recipe's order: two namespaces joined through a bridge in a third.
#
#   net0: net0-bridge 10.0.1.1/24 <-veth-> bridge: bridge-net0 -+
#                                                               br (bridge, up)
#   net1: net1-bridge 10.0.1.2/24 <-veth-> bridge: bridge-net1 -+
#
# Two changes from the recipe, neither visible in the result:
# - the bridge is made with `ip link` instead of bridge-utils' `brctl addbr br` / `brctl addif br X`
#   (same kernel requests; `ip link add name br type bridge` needs "name": a bare "br" reads as the
#   "broadcast" keyword);
# - the veth pairs are created under explicit temporary names, ${PREFIX}veth0 and ${PREFIX}veth1,
#   not the kernel's next free vethN, so that copies run side by side.
#
# PREFIX (default empty) is prepended to the namespace names and the temporary names; the names
# inside the namespaces are the recipe's. Needs root and iproute2. `down` removes what `up` made,
# including what an interrupted `up` left.
set -eu
P=${PREFIX:-}

up() {
    ip netns add "${P}net0"
    ip netns add "${P}net1"
    ip netns add "${P}bridge"
    ip link add "${P}veth0" type veth peer name "${P}veth1"
    ip link set dev "${P}veth0" name net0-bridge netns "${P}net0"
    ip link set dev "${P}veth1" name bridge-net0 netns "${P}bridge"
    ip link add "${P}veth0" type veth peer name "${P}veth1"
    ip link set dev "${P}veth0" name net1-bridge netns "${P}net1"
    ip link set dev "${P}veth1" name bridge-net1 netns "${P}bridge"
    ip netns exec "${P}bridge" ip link add name br type bridge
    ip netns exec "${P}bridge" ip link set dev br up
    ip netns exec "${P}bridge" ip link set dev bridge-net0 up
    ip netns exec "${P}bridge" ip link set dev bridge-net1 up
    ip netns exec "${P}bridge" ip link set dev bridge-net0 master br
    ip netns exec "${P}bridge" ip link set dev bridge-net1 master br
    ip netns exec "${P}net0" ip link set dev net0-bridge up
    ip netns exec "${P}net0" ip address add 10.0.1.1/24 dev net0-bridge
    ip netns exec "${P}net1" ip link set dev net1-bridge up
    ip netns exec "${P}net1" ip address add 10.0.1.2/24 dev net1-bridge
}

down() {
    rc=0
    for ns in "${P}net0" "${P}net1" "${P}bridge"; do
        if [ -e "/run/netns/$ns" ]; then ip netns del "$ns" || rc=1; fi
    done
    # an interrupted up may have left a pair in the root namespace: ours only if it pairs our two names
    if ip -o link show dev "${P}veth0" 2>/dev/null | grep -q "^[0-9]*: ${P}veth0@${P}veth1:"; then
        ip link del dev "${P}veth0" || rc=1
    fi
    return $rc
}

case "${1:-}" in
up) up ;;
down) down ;;
*) echo "usage: [PREFIX=p] $0 up|down" >&2; exit 2 ;;
esac
