package io.github.netvirt.core;

import io.github.netvirt.netns.internal.Journal;
import java.util.function.Supplier;

/**
 * The {@link Journal} of a namespace a topology does not own (an adopted one, the root namespace), on
 * the handle {@link Topology#namespace} hands out: what netvirt-faults puts there goes in the
 * topology's crash record (begun then if the topology had none), so that a cleanup after a crash
 * removes it. Tables are noted only while the topology is open ({@code live}); their removal is noted
 * while the record is, and otherwise not at all (a cleaner finds the handle gone).
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

    @Override
    public Journal.Table nftTable(String name) {
        CrashRecord r = live.call(() -> {
            CrashRecord in = record.get();
            in.nftTable(cookie, name, reach);
            return in;
        });
        return new Journal.Table() {
            @Override
            public void made(long handle) {
                r.nftTableHandle(cookie, name, handle);
            }

            @Override
            public void gone() {
                try {
                    r.nftTableDeleted(cookie, name);
                } catch (RuntimeException e) {
                    // the record is closed (the topology's teardown), kept (detached) or cannot be
                    // written: a cleaner that deletes the table by its handle finds it gone
                    LOG.log(System.Logger.Level.DEBUG, "table {0} not noted as deleted: {1}", name, e.getMessage());
                }
            }
        };
    }
}
