package io.github.netvirt.core;

import io.github.netvirt.netns.internal.Journal;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link Journal} of a namespace a topology does not own (an adopted one, the root namespace), on
 * the handle {@link Topology#namespace} hands out: what netvirt-faults puts there (nftables tables,
 * root qdiscs, ingress qdiscs with a mirror filter, devices set down) goes in the topology's crash
 * record (begun then if the topology had none), so that a cleanup after a crash removes it. Changes are noted only while the topology is
 * open ({@code live}); their end is noted while the record is, and otherwise not at all (a cleaner
 * finds the table, qdisc or filter gone by its handle, the device up).
 */
final class RecordJournal implements Journal {
    private static final System.Logger LOG = System.getLogger(RecordJournal.class.getName());

    /** Runs a call while the topology is open, or throws IllegalStateException. */
    interface Live {
        <T> T call(Supplier<T> call);
    }

    private final Live live;
    private final Supplier<CrashRecord> record;
    private final long cookie;
    private final String reach;

    /**
     * @param record the topology's record, begun if it has none (called under {@code live})
     * @param reach how a cleaner reaches the namespace of {@code cookie}, as in the record's adopted lines
     */
    RecordJournal(Live live, Supplier<CrashRecord> record, long cookie, String reach) {
        this.live = live;
        this.record = record;
        this.cookie = cookie;
        this.reach = reach;
    }

    /** Writes a line through {@code before} while the topology is open; the record it went to. */
    private CrashRecord before(Consumer<CrashRecord> before) {
        return live.call(() -> {
            CrashRecord in = record.get();
            before.accept(in);
            return in;
        });
    }

    @Override
    public Journal.Made nftTable(String name) {
        CrashRecord r = before(in -> in.nftTable(cookie, name, reach));
        return made(h -> r.nftTableHandle(cookie, name, h), () -> r.nftTableDeleted(cookie, name), "table " + name);
    }

    @Override
    public Journal.Made rootQdisc(int index, String kind) {
        // numbered: a second fault's add on the device is noted while the first's qdisc is there
        long[] note = new long[1];
        CrashRecord r = before(in -> note[0] = in.rootQdisc(cookie, index, kind, reach));
        return made(
                h -> r.rootQdiscHandle(cookie, index, note[0], h),
                () -> r.rootQdiscDeleted(cookie, index, note[0]),
                "root qdisc " + kind + " of device " + index);
    }

    @Override
    public Journal.Made ingressMirror(int index, int priority, int to, String actionCookie) {
        // numbered as the root qdiscs: a second mirror's add on the device is noted while the first's is there
        long[] note = new long[1];
        CrashRecord r = before(in -> note[0] = in.mirror(cookie, index, priority, to, actionCookie, reach));
        return made(
                h -> r.mirrorFilter(cookie, index, note[0], h, actionCookie),
                () -> r.mirrorDeleted(cookie, index, note[0]),
                "mirror of device " + index + " to device " + to);
    }

    @Override
    public Journal.Note linkDown(int index, String name) {
        CrashRecord r = before(in -> in.linkDown(cookie, index, name, reach));
        return () -> quietly(() -> r.linkUp(cookie, index), "device " + index + " (" + name + ") cut");
    }

    private static Journal.Made made(Consumer<Long> made, Runnable gone, String what) {
        return new Journal.Made() {
            @Override
            public void made(long handle) {
                made.accept(handle);
            }

            @Override
            public void gone() {
                quietly(gone, what);
            }
        };
    }

    private static void quietly(Runnable line, String what) {
        try {
            line.run();
        } catch (RuntimeException e) {
            // the record is closed (the topology's teardown, or the detach's once its heals are noted)
            // or cannot be written: a cleaner finds the table or qdisc gone by its handle, the device
            // up (or set down by someone else since: then set up)
            LOG.log(System.Logger.Level.DEBUG, "{0} not noted as over: {1}", what, e.getMessage());
        }
    }
}
