package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.List;

/**
 * A veth pair. Each end can be placed directly in its own namespace ({@link #netns} for this end,
 * {@link #peerNetns} for the peer): nothing then ever appears in the handle's namespace. Without
 * {@link #peerNetns} the peer is created in the handle's namespace (not in this end's).
 */
public final class VethSpec extends LinkSpec<VethSpec> {
    final String peerName;
    int peerIndex;
    int peerMtu;
    MacAddress peerMac;
    boolean peerUp;
    int peerGroup;
    int peerNumTxQueues;
    int peerNumRxQueues;
    /** Null: the handle's namespace. */
    Placement peerPlacement;

    VethSpec(String name, String peerName) {
        super(name, "veth");
        this.peerName = Names.checkInterface(peerName);
    }

    public String peerName() {
        return peerName;
    }

    @Override
    List<NetNamespace> namespaces() {
        if (peerPlacement == null || peerPlacement.ns() == null) {
            return super.namespaces();
        }
        List<NetNamespace> all = new ArrayList<>(super.namespaces());
        all.add(peerPlacement.ns());
        return all;
    }

    /**
     * Creates the peer directly in {@code ns}; {@code ns} is held open while the request is sent (if
     * it is closed before, {@code linkAdd} throws {@link IllegalStateException}).
     */
    public VethSpec peerNetns(NetNamespace ns) {
        this.peerPlacement = Placement.of(ns);
        return this;
    }

    public VethSpec peerNetnsFd(int fd) {
        this.peerPlacement = Placement.ofFd(fd);
        return this;
    }

    public VethSpec peerMtu(int mtu) {
        this.peerMtu = Mtu.check(mtu);
        return this;
    }

    public VethSpec peerMac(MacAddress mac) {
        this.peerMac = linkAddress(mac);
        return this;
    }

    /** The peer's device group, as {@link #group(int)} for this end. */
    public VethSpec peerGroup(int group) {
        this.peerGroup = group;
        return this;
    }

    /**
     * The peer's transmit queues, as {@link #numTxQueues(int)} for this end. The kernel does not carry
     * this end's counts over: a peer without its own keeps one queue per possible CPU, and when this
     * end has counts of its own, all of them in use (KERNEL-NOTES.md).
     */
    public VethSpec peerNumTxQueues(int count) {
        this.peerNumTxQueues = queueCount(count, "transmit");
        return this;
    }

    /** The peer's receive queues, as {@link #numRxQueues(int)} for this end. */
    public VethSpec peerNumRxQueues(int count) {
        this.peerNumRxQueues = queueCount(count, "receive");
        return this;
    }

    public VethSpec peerIndex(int index) {
        this.peerIndex = requestedIndex(index);
        return this;
    }

    /**
     * Sets the peer administratively up once the pair exists. The kernel refuses IFF_UP on a peer
     * being created (ENOTCONN: its other end is not registered yet), so this is a second request,
     * sent in the peer's namespace: pipelined after the creation when the peer stays in the handle's
     * namespace, through a short-lived socket in the peer's namespace otherwise (which needs
     * {@link #peerNetns(NetNamespace)}, not a raw fd).
     */
    public VethSpec peerUp() {
        this.peerUp = true;
        return this;
    }

    /** Creates both ends up. */
    public VethSpec bothUp() {
        up();
        return peerUp();
    }

    @Override
    public String describe() {
        return "veth " + name + "/" + peerName;
    }

    @Override
    void writeInfoData(NlWriter w, Resolver r) {
        int peer = w.beginPlainNest(Nl.VETH_INFO_PEER);
        w.ifinfomsg(Nl.AF_UNSPEC, 0, peerIndex, 0, 0);
        writeCommon(w, r, peerMtu, peerMac, -1, null, peerPlacement, peerGroup);
        writeQueues(w, peerNumTxQueues, peerNumRxQueues);
        w.string(Nl.IFLA_IFNAME, peerName);
        w.endNest(peer);
    }
}
