#!/usr/bin/env python3
"""Captures the netlink requests (and some dump replies) iproute2 sends, as test vectors.

Run as root:  python3 capture.py > vectors.txt
It works in two throwaway namespaces (nl-cap-a, nl-cap-b) and deletes them at the end.
Each case records the last request of the command whose type is the one under test, the
variables the test needs to rebuild it (ifindexes, namespace fds, the sequence number), and
for dumps the reply datagrams plus `ip -j` output to cross-check the decoder.
"""
import json
import re
import subprocess
import sys

A, B = "nl-cap-a", "nl-cap-b"


def sh(*args, check=True):
    r = subprocess.run(args, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {r.stderr}")
    return r.stdout


def trace(cmd, want_types, reads=False, may_fail=False):
    """Runs cmd under strace; returns (requests [(type, bytes)], netns fds in open order, replies)."""
    st = ["strace", "-f", "-qq", "-e", "trace=sendmsg,sendto,recvmsg,openat", "-e", "write=all"]
    if reads:
        st += ["-e", "read=all"]
    r = subprocess.run(st + cmd, capture_output=True, text=True)
    if r.returncode != 0 and not may_fail:
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr}")
    sent, received, fds = [], [], []
    cur, kind = None, None
    for line in r.stderr.splitlines():
        m = re.search(r'openat\(.*"/run/netns/[^"]+".*= (\d+)', line)
        if m:
            fds.append(int(m.group(1)))
        if line.startswith(("sendmsg(", "sendto(", "recvmsg(")):
            cur = bytearray()
            (received if line.startswith("recvmsg(") else sent).append(cur)
            continue
        m = re.match(r"\s*\| [0-9a-f]{5}  ", line)
        if m and cur is not None:
            # the hex area is 16 "xx " groups plus one extra space in the middle, then the ASCII column
            cur.extend(bytes.fromhex(line[m.end():m.end() + 49].replace(" ", "")))
    # some requests go out with the rest of iproute2's request struct after nlmsg_len: keep the message
    reqs = [(int.from_bytes(b[4:6], "little"), bytes(b[:int.from_bytes(b[0:4], "little")]))
            for b in sent if len(b) >= 16]
    reqs = [x for x in reqs if x[0] in want_types]
    return reqs, fds, [bytes(b) for b in received if len(b) >= 16]


def index(ns, dev):
    return json.loads(sh("ip", "-n", ns, "-j", "link", "show", "dev", dev))[0]["ifindex"]


def emit(name, cmd, req, **vars):
    print(f"## {name}")
    print(f"# cmd: {' '.join(cmd)}")
    if vars:
        print("# vars: " + " ".join(f"{k}={v}" for k, v in vars.items()))
    print(req.hex())
    print()


def case(name, cmd, types, nvars=lambda fds: {}, may_fail=False):
    """may_fail: the kernel may refuse the request (e.g. a feature compiled out); its bytes still count."""
    reqs, fds, _ = trace(cmd, types, may_fail=may_fail)
    if not reqs:
        raise SystemExit(f"{name}: no request of type {types} captured")
    emit(name, cmd, reqs[-1][1], **nvars(fds))


NEWLINK, DELLINK, GETLINK, NEWADDR, DELADDR, GETADDR = 16, 17, 18, 20, 21, 22
NEWROUTE, DELROUTE, GETROUTE, NEWNEIGH, DELNEIGH = 24, 25, 26, 28, 29


def main():
    for ns in (A, B):
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        sh("ip", "netns", "add", ns)
    try:
        ipa = ["ip", "-n", A]
        case("veth_peer_netns", ipa + ["link", "add", "nlva", "type", "veth", "peer", "name", "nlvb",
                                       "netns", B], [NEWLINK], lambda fds: {"peerfd": fds[-1]})
        case("veth_full", ipa + ["link", "add", "nlvc", "index", "40", "mtu", "1400", "address",
                                 "02:00:00:00:00:11", "netns", B, "type", "veth", "peer", "name", "nlvd",
                                 "index", "41", "mtu", "1300", "address", "02:00:00:00:00:12",
                                 "netns", B], [NEWLINK],
             lambda fds: {"fd": fds[-2], "peerfd": fds[-1]})
        case("veth_queues", ipa + ["link", "add", "nlve", "mtu", "1400", "numtxqueues", "1", "numrxqueues", "1",
                                   "type", "veth", "peer", "name", "nlvf", "numtxqueues", "1",
                                   "numrxqueues", "1"], [NEWLINK])
        case("bridge_options", ipa + ["link", "add", "nlbr", "type", "bridge", "stp_state", "1",
                                      "forward_delay", "400", "ageing_time", "3000"],
             [NEWLINK])
        # this kernel has no CONFIG_BRIDGE_VLAN_FILTERING: EOPNOTSUPP, but the request is what matters
        case("bridge_vlan_filtering", ipa + ["link", "add", "nlbr9", "type", "bridge", "vlan_filtering", "1"],
             [NEWLINK], may_fail=True)
        case("bridge_plain", ipa + ["link", "add", "nlbr2", "type", "bridge"], [NEWLINK])
        br = index(A, "nlbr")
        case("macvlan_bridge", ipa + ["link", "add", "link", "nlbr", "name", "nlmv", "type", "macvlan",
                                      "mode", "bridge"], [NEWLINK], lambda fds: {"lower": br})
        case("vxlan", ipa + ["link", "add", "nlvx", "type", "vxlan", "id", "42", "remote", "10.9.9.9",
                             "local", "10.9.9.1", "dev", "nlbr", "ttl", "10", "nolearning", "dstport",
                             "4789"], [NEWLINK], lambda fds: {"dev": br})
        case("ifb", ipa + ["link", "add", "nlifb", "type", "ifb"], [NEWLINK])
        va = index(A, "nlva")
        case("set_up", ipa + ["link", "set", "dev", "nlva", "up"], [NEWLINK], lambda fds: {"index": va})
        case("set_down", ipa + ["link", "set", "dev", "nlva", "down"], [NEWLINK], lambda fds: {"index": va})
        case("set_mtu", ipa + ["link", "set", "dev", "nlva", "mtu", "1400"], [NEWLINK], lambda fds: {"index": va})
        case("set_mac", ipa + ["link", "set", "dev", "nlva", "address", "02:00:00:00:00:21"], [NEWLINK],
             lambda fds: {"index": va})
        case("set_master", ipa + ["link", "set", "dev", "nlva", "master", "nlbr"], [NEWLINK],
             lambda fds: {"index": va, "master": br})
        case("fdb_add", ["bridge", "-n", A, "fdb", "add", "02:00:00:00:00:66", "dev", "nlva", "master",
                         "static"], [NEWNEIGH], lambda fds: {"index": va})
        case("fdb_add_vlan", ["bridge", "-n", A, "fdb", "add", "02:00:00:00:00:67", "dev", "nlva", "master",
                              "static", "vlan", "1"], [NEWNEIGH], lambda fds: {"index": va}, may_fail=True)
        case("set_nomaster", ipa + ["link", "set", "dev", "nlva", "nomaster"], [NEWLINK], lambda fds: {"index": va})
        case("set_name", ipa + ["link", "set", "dev", "nlva", "name", "nlvz"], [NEWLINK], lambda fds: {"index": va})
        case("set_alias", ipa + ["link", "set", "dev", "nlvz", "alias", "hello"], [NEWLINK],
             lambda fds: {"index": va})
        ifb = index(A, "nlifb")
        case("set_netns", ipa + ["link", "set", "dev", "nlifb", "netns", B], [NEWLINK],
             lambda fds: {"index": ifb, "fd": fds[-1]})
        sh("ip", "-n", A, "link", "set", "nlbr", "up")
        case("addr_add", ipa + ["addr", "add", "10.0.1.1/24", "dev", "nlbr"], [NEWADDR], lambda fds: {"index": br})
        case("addr_add_broadcast", ipa + ["addr", "add", "10.0.2.1/24", "broadcast", "10.0.2.255", "dev", "nlbr"],
             [NEWADDR], lambda fds: {"index": br})
        case("addr_add_peer", ipa + ["addr", "add", "10.0.3.1", "peer", "10.0.3.2/32", "dev", "nlbr"], [NEWADDR],
             lambda fds: {"index": br})
        case("addr_add_v6", ipa + ["addr", "add", "fd00::1/64", "dev", "nlbr", "nodad"], [NEWADDR],
             lambda fds: {"index": br})
        case("addr_replace", ipa + ["addr", "replace", "10.0.2.1/24", "dev", "nlbr"], [NEWADDR],
             lambda fds: {"index": br})
        case("addr_del", ipa + ["addr", "del", "10.0.2.1/24", "dev", "nlbr"], [DELADDR], lambda fds: {"index": br})
        case("route_via_dev", ipa + ["route", "add", "10.1.0.0/16", "via", "10.0.1.254", "dev", "nlbr"],
             [NEWROUTE], lambda fds: {"index": br})
        case("route_default", ipa + ["route", "add", "default", "via", "10.0.1.254"], [NEWROUTE])
        case("route_table_metric", ipa + ["route", "add", "10.2.0.0/16", "table", "100", "via", "10.0.1.254",
                                          "metric", "50", "dev", "nlbr"], [NEWROUTE], lambda fds: {"index": br})
        case("route_table_big", ipa + ["route", "add", "10.5.0.0/16", "table", "1000", "via", "10.0.1.254",
                                       "dev", "nlbr"], [NEWROUTE], lambda fds: {"index": br})
        case("route_onlink", ipa + ["route", "add", "10.3.0.0/16", "via", "192.168.99.1", "dev", "nlbr",
                                    "onlink"], [NEWROUTE], lambda fds: {"index": br})
        case("route_dev", ipa + ["route", "add", "10.4.0.0/16", "dev", "nlbr"], [NEWROUTE], lambda fds: {"index": br})
        case("route_replace", ipa + ["route", "replace", "10.4.0.0/16", "dev", "nlbr"], [NEWROUTE],
             lambda fds: {"index": br})
        case("route_mtu", ipa + ["route", "add", "10.6.0.0/16", "via", "10.0.1.254", "metric", "9", "mtu", "1400",
                                 "dev", "nlbr"], [NEWROUTE], lambda fds: {"index": br})
        case("route_v6", ipa + ["-6", "route", "add", "fd01::/64", "via", "fd00::2", "dev", "nlbr"], [NEWROUTE],
             lambda fds: {"index": br})
        case("route_del", ipa + ["route", "del", "10.4.0.0/16", "dev", "nlbr"], [DELROUTE], lambda fds: {"index": br})
        case("neigh_add", ipa + ["neigh", "add", "10.0.1.5", "lladdr", "02:00:00:00:00:55", "dev", "nlbr",
                                 "nud", "permanent"], [NEWNEIGH], lambda fds: {"index": br})
        case("neigh_add_v6", ipa + ["neigh", "add", "fd00::5", "lladdr", "02:00:00:00:00:56", "dev", "nlbr",
                                    "nud", "permanent"], [NEWNEIGH], lambda fds: {"index": br})
        case("neigh_del", ipa + ["neigh", "del", "10.0.1.5", "dev", "nlbr"], [DELNEIGH], lambda fds: {"index": br})
        case("get_link_by_name", ipa + ["link", "show", "dev", "nlbr"], [GETLINK])
        case("dump_link_request", ipa + ["link", "show"], [GETLINK])
        case("dump_addr_request", ipa + ["addr", "show"], [GETADDR])
        case("dump_route_request", ipa + ["route", "show", "table", "all"], [GETROUTE])
        case("dump_neigh_request", ipa + ["neigh", "show"], [30])
        case("dump_fdb_request", ["bridge", "-n", A, "fdb", "show"], [30])
        vz = index(A, "nlvz")
        case("link_del", ipa + ["link", "del", "dev", "nlvz"], [DELLINK], lambda fds: {"index": vz})
        sh("ip", "-n", A, "link", "add", "nlg1", "group", "77", "type", "bridge")
        case("link_del_group", ipa + ["link", "del", "group", "77"], [DELLINK])
        # some neighbours and FDB entries for the dumps
        # (the first port changes the bridge's MAC, which flushes its neighbours, permanent ones too)
        sh("ip", "-n", A, "link", "add", "nlp1", "master", "nlbr", "type", "veth", "peer", "name", "nlp2")
        sh("ip", "-n", A, "neigh", "add", "10.0.1.7", "lladdr", "02:00:00:00:00:57", "dev", "nlbr", "nud", "permanent")
        sh("ip", "-n", A, "neigh", "add", "fd00::7", "lladdr", "02:00:00:00:00:58", "dev", "nlbr", "nud", "permanent")
        sh("bridge", "-n", A, "fdb", "add", "02:00:00:00:00:68", "dev", "nlp1", "master", "static")
        # dump replies, with ip -j -d output of the same state to check the decoder against
        for name, cmd, js in (("dump_link", ipa + ["link", "show"], ["ip", "-n", A, "-j", "-d", "link", "show"]),
                              ("dump_addr", ipa + ["addr", "show"], ["ip", "-n", A, "-j", "addr", "show"]),
                              ("dump_route", ipa + ["route", "show", "table", "all"],
                               ["ip", "-n", A, "-j", "route", "show", "table", "all"]),
                              ("dump_neigh", ipa + ["neigh", "show"], ["ip", "-n", A, "-j", "neigh", "show"]),
                              ("dump_fdb", ["bridge", "-n", A, "fdb", "show"], ["bridge", "-n", A, "-j", "fdb", "show"])):
            _, _, replies = trace(cmd, [], reads=True)
            print(f"## {name}")
            print(f"# cmd: {' '.join(cmd)}")
            print("# json: " + json.dumps(json.loads(sh(*js))))
            for rep in replies:
                print(rep.hex())
            print()
    finally:
        for ns in (A, B):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)


if __name__ == "__main__":
    main()
