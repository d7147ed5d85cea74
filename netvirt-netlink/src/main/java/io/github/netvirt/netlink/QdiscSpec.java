package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.NlWriter;

/**
 * What {@code tc qdisc add|replace|del} takes: a queueing discipline on one device, its parent and
 * handle, its kind and options. Built fluently and passed to {@link NetlinkHandle#qdiscAdd},
 * {@link NetlinkHandle#qdiscReplace}, {@link NetlinkHandle#qdiscDel} or the same verbs of a batch:
 *
 * <pre>
 * h.qdiscReplace(QdiscSpec.tbf("eth0").rate(2_000_000).burst(16 * 1024).latency(Duration.ofMillis(50)));
 * h.qdiscAdd(QdiscSpec.ingress("eth0"));
 * h.qdiscDel(QdiscSpec.root("eth0"));        // tc qdisc del dev eth0 root
 * </pre>
 *
 * <p>A qdisc is the root one ({@link TcHandle#ROOT}) unless {@link #parent} says otherwise. Settings
 * are validated when set, and completeness when the request is made, before anything reaches the
 * kernel. Options are laid out as {@code tc} lays them out, so requests compare byte for byte with
 * {@code strace} captures of {@code tc}.
 *
 * @param <S> the concrete spec type, for fluent setters
 */
public abstract class QdiscSpec<S extends QdiscSpec<S>> implements Cloneable {
    final LinkRef link;
    private final String kind;
    int parent = TcHandle.ROOT;
    int handle = TcHandle.UNSPEC;
    Qdisc.SizeTable stab;

    QdiscSpec(LinkRef link, String kind) {
        this.link = link;
        this.kind = kind;
    }

    /** {@code tc qdisc ... dev DEV root tbf}: a token bucket; set its rate, burst and latency or limit. */
    public static TbfSpec tbf(String dev) {
        return new TbfSpec(LinkRef.of(dev));
    }

    public static TbfSpec tbf(int index) {
        return new TbfSpec(LinkRef.of(index));
    }

    /** {@code tc qdisc ... dev DEV root netem}: delay, jitter, loss, duplication (where the kernel has sch_netem). */
    public static NetemSpec netem(String dev) {
        return new NetemSpec(LinkRef.of(dev));
    }

    public static NetemSpec netem(int index) {
        return new NetemSpec(LinkRef.of(index));
    }

    /** {@code tc qdisc add dev DEV ingress}: parent {@code ingress}, handle {@code ffff:}, the anchor of ingress filters. */
    public static GenericQdiscSpec ingress(String dev) {
        return ingress(LinkRef.of(dev));
    }

    public static GenericQdiscSpec ingress(int index) {
        return ingress(LinkRef.of(index));
    }

    private static GenericQdiscSpec ingress(LinkRef link) {
        return new GenericQdiscSpec(link, "ingress").parent(TcHandle.INGRESS).handle(TcHandle.INGRESS_QDISC);
    }

    /**
     * {@code tc qdisc add dev DEV clsact}: parent {@code ffff:fff1} (the same value as {@code ingress}),
     * handle {@code ffff:}; filters hang on its {@link TcHandle#CLSACT_INGRESS} and
     * {@link TcHandle#CLSACT_EGRESS} hooks, and it leaves the root qdisc alone.
     */
    public static GenericQdiscSpec clsact(String dev) {
        return new GenericQdiscSpec(LinkRef.of(dev), "clsact")
                .parent(TcHandle.INGRESS)
                .handle(TcHandle.INGRESS_QDISC);
    }

    public static GenericQdiscSpec clsact(int index) {
        return new GenericQdiscSpec(LinkRef.of(index), "clsact")
                .parent(TcHandle.INGRESS)
                .handle(TcHandle.INGRESS_QDISC);
    }

    /** A qdisc of any kind ({@code TCA_KIND}, e.g. "pfifo_fast", "fq_codel") without options. */
    public static GenericQdiscSpec generic(String dev, String kind) {
        return new GenericQdiscSpec(LinkRef.of(dev), GenericQdiscSpec.checkKind(kind));
    }

    public static GenericQdiscSpec generic(int index, String kind) {
        return new GenericQdiscSpec(LinkRef.of(index), GenericQdiscSpec.checkKind(kind));
    }

    /**
     * The root qdisc of {@code dev}, whatever its kind: names a qdisc to delete ({@code tc qdisc del
     * dev DEV root}); it cannot be added.
     */
    public static GenericQdiscSpec root(String dev) {
        return new GenericQdiscSpec(LinkRef.of(dev), null);
    }

    public static GenericQdiscSpec root(int index) {
        return new GenericQdiscSpec(LinkRef.of(index), null);
    }

    @SuppressWarnings("unchecked")
    final S self() {
        return (S) this;
    }

    /** {@code TCA_KIND}, null for a spec that only names a qdisc to delete. */
    public final String kind() {
        return kind;
    }

    /** {@code parent}: {@link TcHandle#ROOT} (the default), {@link TcHandle#INGRESS} or a class {@code major:minor}. */
    public S parent(int parent) {
        if (parent == TcHandle.UNSPEC) {
            throw new IllegalArgumentException("a qdisc needs a parent (TcHandle.ROOT for the root qdisc)");
        }
        this.parent = parent;
        return self();
    }

    /** {@code handle MAJOR:}; the minor must be 0. Unset, the kernel chooses one. */
    public S handle(int handle) {
        if (TcHandle.minor(handle) != 0) {
            throw new IllegalArgumentException("a qdisc handle has minor 0: " + TcHandle.format(handle));
        }
        this.handle = handle;
        return self();
    }

    /** The qdisc's size table, without slots ({@code stab overhead O mpu M mtu T} less tc's 512 slots; null: none, the default). */
    public S stab(Qdisc.SizeTable stab) {
        this.stab = stab;
        return self();
    }

    /** Checks that the spec is complete enough to be created; throws IllegalArgumentException if not. */
    void checkComplete() {}

    /**
     * This spec as it is now: what a request queued now sends and describes, whatever the spec's
     * setters change before the batch runs.
     */
    QdiscSpec<?> snapshot() {
        try {
            return (QdiscSpec<?>) clone(); // the fields hold immutable values
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes {@code TCA_OPTIONS}, or nothing for kinds without options. */
    abstract void writeOptions(NlWriter w);

    @Override
    public String toString() {
        String k = kind();
        return "dev " + link + " " + TcHandle.format(parent) + (k == null ? "" : " " + k)
                + (handle == TcHandle.UNSPEC ? "" : " handle " + TcHandle.format(handle))
                + (stab == null ? "" : " " + stab);
    }
}
