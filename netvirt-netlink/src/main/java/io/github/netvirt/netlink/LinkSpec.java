package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Require;
import java.util.List;
import java.util.Objects;

/**
 * What {@code ip link add} takes: a new link's name, kind and settings. Built fluently and passed to
 * {@link NetlinkHandle#linkAdd} or {@link NetlinkBatch#linkAdd}:
 *
 * <pre>
 * h.linkAdd(LinkSpec.veth("a", "b").netns(nsA).peerNetns(nsB).up());
 * h.linkAdd(LinkSpec.bridge("br0").stp(false).up());
 * </pre>
 *
 * <p>Links are always created with {@code NLM_F_CREATE|NLM_F_EXCL}, so an existing name gives EEXIST.
 * Settings are validated when set, before anything reaches the kernel. Attributes are encoded in the
 * order iproute2 uses for the same command, so requests can be compared with {@code strace} captures.
 *
 * @param <S> the concrete spec type, for fluent setters
 */
public abstract class LinkSpec<S extends LinkSpec<S>> implements Cloneable {
    private static final int MAX_QUEUES = 4096;

    final String name;
    private final String kind;
    int index;
    int mtu;
    MacAddress mac;
    LinkRef master;
    boolean up;
    /** Null: the handle's namespace. */
    Placement placement;

    int txQueueLength = -1;
    int group;
    /** 0: the kernel's default (for veth, one per possible CPU, of which one is in use). */
    int numTxQueues;

    int numRxQueues;

    LinkSpec(String name, String kind) {
        this.name = Names.checkInterface(name);
        this.kind = kind;
    }

    /** A veth pair {@code name} / {@code peerName}. */
    public static VethSpec veth(String name, String peerName) {
        return new VethSpec(name, peerName);
    }

    /** A bridge. */
    public static BridgeSpec bridge(String name) {
        return new BridgeSpec(name);
    }

    /** A macvlan device on top of {@code lower} (a link in the handle's namespace). */
    public static MacvlanSpec macvlan(String name, String lower) {
        return new MacvlanSpec(name, LinkRef.of(lower));
    }

    /** A macvlan device on top of the link of ifindex {@code lower} in the handle's namespace. */
    public static MacvlanSpec macvlan(String name, int lower) {
        return new MacvlanSpec(name, LinkRef.of(lower));
    }

    /** A vxlan device with VNI {@code vni} (0..16777215). */
    public static VxlanSpec vxlan(String name, int vni) {
        return new VxlanSpec(name, vni);
    }

    /** A link of any other kind ({@code IFLA_INFO_KIND}), e.g. "ifb". */
    public static GenericLinkSpec generic(String name, String kind) {
        return new GenericLinkSpec(name, kind);
    }

    @SuppressWarnings("unchecked")
    final S self() {
        return (S) this;
    }

    public String name() {
        return name;
    }

    /** {@code IFLA_INFO_KIND}. */
    public final String kind() {
        return kind;
    }

    /** Requests ifindex {@code index} for the new link (EEXIST if it is taken); 0 lets the kernel choose. */
    public S index(int index) {
        this.index = requestedIndex(index);
        return self();
    }

    public S mtu(int mtu) {
        this.mtu = Mtu.check(mtu);
        return self();
    }

    public S mac(MacAddress mac) {
        this.mac = linkAddress(mac);
        return self();
    }

    /** An ifindex to ask the kernel for: 0 lets it choose. */
    static int requestedIndex(int index) {
        return Require.nonNegative(index, "ifindex");
    }

    /**
     * An address a link can carry: neither multicast nor all zeros (the kernel's
     * {@code is_valid_ether_addr}, EADDRNOTAVAIL otherwise).
     */
    static MacAddress linkAddress(MacAddress mac) {
        if (Objects.requireNonNull(mac, "mac").isMulticast()) {
            throw new IllegalArgumentException("a link address cannot be multicast: " + mac);
        }
        if (mac.isZero()) {
            throw new IllegalArgumentException("a link address cannot be all zeros: " + mac);
        }
        return mac;
    }

    /**
     * Enslaves the new link to {@code master}, a bridge in the namespace the link is created in. A
     * name is looked up in the handle's namespace; when {@link #netns} places the link elsewhere the
     * kernel reads {@code IFLA_MASTER} as an ifindex of that other namespace, so use
     * {@link #master(int)} with the index there.
     */
    public S master(String master) {
        this.master = LinkRef.of(master);
        return self();
    }

    public S master(int masterIndex) {
        this.master = LinkRef.of(masterIndex);
        return self();
    }

    /** Creates the link administratively up. */
    public S up() {
        this.up = true;
        return self();
    }

    public S txQueueLength(int len) {
        this.txQueueLength = Require.nonNegative(len, "txqueuelen");
        return self();
    }

    /**
     * Makes the link with {@code count} transmit queues ({@code ip link add ... numtxqueues N}),
     * 1..4096. A veth made with one transmit and one receive queue costs the kernel less to create
     * (KERNEL-NOTES.md); its peer's counts are set apart ({@link VethSpec#peerNumTxQueues}).
     */
    public S numTxQueues(int count) {
        this.numTxQueues = queueCount(count, "transmit");
        return self();
    }

    /** Makes the link with {@code count} receive queues ({@code numrxqueues N}), 1..4096. */
    public S numRxQueues(int count) {
        this.numRxQueues = queueCount(count, "receive");
        return self();
    }

    /** A queue count the kernel accepts for a new link (rtnl_create_link: 1..4096). */
    static int queueCount(int count, String what) {
        if (count < 1 || count > MAX_QUEUES) {
            throw new IllegalArgumentException(
                    "number of " + what + " queues must be 1.." + MAX_QUEUES + ", not " + count);
        }
        return count;
    }

    /**
     * Puts the new link in device group {@code group} ({@code IFLA_GROUP}, {@code ip link add ... group
     * N}); 0, the default group, sends nothing. Unlike {@code IFLA_IFALIAS}, which the kernel ignores
     * in a creating request, the group is set by the request that creates the link, so it can tag a
     * link as made by its creator from its first moment.
     */
    public S group(int group) {
        this.group = group;
        return self();
    }

    /**
     * Creates the link directly in {@code ns} ({@code IFLA_NET_NS_FD}) instead of the handle's
     * namespace. {@code ns} is held open while the request is sent; if it is closed before,
     * {@code linkAdd} throws {@link IllegalStateException}.
     */
    public S netns(NetNamespace ns) {
        this.placement = Placement.of(ns);
        return self();
    }

    /** As {@link #netns(NetNamespace)}, with a raw namespace file descriptor. */
    public S netnsFd(int fd) {
        this.placement = Placement.ofFd(fd);
        return self();
    }

    /**
     * This spec as it is now: what a request queued now sends and describes, whatever the spec's
     * setters change before the batch runs.
     */
    LinkSpec<?> snapshot() {
        try {
            return (LinkSpec<?>) clone(); // the fields hold immutable values
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** The namespaces whose fds the request carries, to hold while it is sent. */
    List<NetNamespace> namespaces() {
        return placement == null || placement.ns() == null ? List.of() : List.of(placement.ns());
    }

    /** Whether the link is placed in another namespace than the handle's. */
    public boolean placedElsewhere() {
        return placement != null;
    }

    /** e.g. {@code veth a/b}, {@code bridge br0}: used in error messages. */
    public String describe() {
        return kind() + " " + name;
    }

    /** Top-level attributes of this kind placed before the common ones (e.g. {@code IFLA_LINK}). */
    void writeKindTopLevel(NlWriter w, Resolver r) {}

    /** The {@code IFLA_INFO_DATA} attributes; the nest is dropped when nothing is written. */
    abstract void writeInfoData(NlWriter w, Resolver r);

    /** Writes ifinfomsg and attributes of the RTM_NEWLINK request (the header is the caller's). */
    final void encode(NlWriter w, Resolver r) {
        int flags = up ? Nl.IFF_UP : 0;
        w.ifinfomsg(Nl.AF_UNSPEC, 0, index, flags, flags);
        writeKindTopLevel(w, r);
        writeCommon(w, r, mtu, mac, txQueueLength, master, placement, group);
        writeQueues(w, numTxQueues, numRxQueues);
        w.string(Nl.IFLA_IFNAME, name);
        int li = w.beginPlainNest(Nl.IFLA_LINKINFO);
        w.stringNoNul(Nl.IFLA_INFO_KIND, kind());
        int data = w.beginPlainNest(Nl.IFLA_INFO_DATA);
        int before = w.position();
        writeInfoData(w, r);
        if (w.position() == before) {
            w.truncate(data);
        } else {
            w.endNest(data);
        }
        w.endNest(li);
    }

    static void writeCommon(
            NlWriter w, Resolver r, int mtu, MacAddress mac, int txq, LinkRef master, Placement placement, int group) {
        if (mtu > 0) {
            w.u32(Nl.IFLA_MTU, mtu);
        }
        if (mac != null) {
            w.bytes(Nl.IFLA_ADDRESS, mac.bytes());
        }
        if (txq >= 0) {
            w.u32(Nl.IFLA_TXQLEN, txq);
        }
        if (master != null) {
            w.u32(Nl.IFLA_MASTER, r.index(master));
        }
        if (placement != null) {
            w.u32(Nl.IFLA_NET_NS_FD, placement.fd());
        }
        if (group != 0) {
            w.u32(Nl.IFLA_GROUP, group);
        }
    }

    static void writeQueues(NlWriter w, int tx, int rx) {
        if (tx > 0) {
            w.u32(Nl.IFLA_NUM_TX_QUEUES, tx);
        }
        if (rx > 0) {
            w.u32(Nl.IFLA_NUM_RX_QUEUES, rx);
        }
    }
}
