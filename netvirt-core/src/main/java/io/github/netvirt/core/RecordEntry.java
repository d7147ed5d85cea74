package io.github.netvirt.core;

import io.github.netvirt.netns.NameFile;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A crash record read back from disk (its lines as {@link CrashRecord} describes them) and validated;
 * {@code root} is null when it made nothing there, {@code boot} null when the record does not say
 * (written before anything was made, or by an older netvirt: taken as this boot's); {@code nsDeleted} when a change removed a named namespace
 * it lists ({@code ns-del}): only then are fewer namespaces listed than its description names a
 * change's doing, and not the first apply's that has not noted them all yet (or was cut short).
 */
record RecordEntry(
        Path path,
        long pid,
        String startTime,
        String boot,
        boolean kept,
        String topology,
        Root root,
        List<Ns> namespaces,
        List<Adopted> adopted,
        List<Started> processes,
        List<NftTable> tables,
        List<RootQdisc> qdiscs,
        List<CutLink> cuts,
        List<Mirror> mirrors,
        boolean nsDeleted) {

    RecordEntry(Path path, long pid, String startTime, boolean kept, String topology, Root root, List<Ns> namespaces) {
        this(path, pid, startTime, null, kept, topology, root, namespaces, List.of(), List.of());
    }

    RecordEntry(
            Path path,
            long pid,
            String startTime,
            String boot,
            boolean kept,
            String topology,
            Root root,
            List<Ns> namespaces,
            List<Adopted> adopted,
            List<Started> processes) {
        this(
                path,
                pid,
                startTime,
                boot,
                kept,
                topology,
                root,
                namespaces,
                adopted,
                processes,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                false);
    }

    /** Whether it was written since the kernel last booted: only then do its identities hold. */
    boolean thisBoot() {
        return boot == null || boot.equals(Owner.bootId());
    }

    /**
     * Whether its owner lives: while it holds the record's lock, wherever its pid is (the kernel
     * drops the lock when the process exits, before it is a zombie waiting for its parent). Where
     * the lock cannot tell (a detached topology's record, whose owner let it go; a file system
     * without flock), by {@link #pidAlive}. A shared lock is taken for a moment to test it.
     */
    boolean ownerAlive() {
        if (!kept) {
            int fd;
            try {
                fd = CrashRecord.open(path);
            } catch (UncheckedIOException unreadable) {
                return pidAlive();
            }
            if (fd < 0) {
                return false; // closed by its owner, or removed by a cleaner
            }
            try {
                if (CrashRecord.lock(fd, LibC.LOCK_SH) == CrashRecord.Lock.HELD) {
                    return true;
                }
            } finally {
                Sys.closeQuietly(fd);
            }
            return heldOrPidAlive();
        }
        return pidAlive();
    }

    /**
     * What tells a live owner of a record whose lock is free (not a detached one's): its pid and
     * start time, unless they are this process's own. This process knows the records it holds and
     * the ones it is creating; one naming it that it does not is another owner's of the same pid
     * and start time (pid 1 of another pid namespace, started in the same clock tick), dead.
     */
    boolean heldOrPidAlive() {
        if (thisBoot() && pid == Owner.ownPid() && startTime.equals(Owner.ownStartTime())) {
            return CrashRecord.OWN.contains(path.toAbsolutePath().normalize());
        }
        return pidAlive();
    }

    /**
     * Whether its pid names, in this boot, a process that started at its start time and is no
     * zombie: its owner, where the cleaner shares its pid namespace.
     */
    boolean pidAlive() {
        return thisBoot() && Owner.alive(pid, startTime);
    }

    /**
     * A named namespace as recorded: its cookie (0: the name was taken, the namespace not made yet),
     * and its file under /run/netns (null: not made; a birth time of 0: recorded without one, by an
     * older netvirt or on a file system that gives none).
     */
    record Ns(long cookie, NameFile file, String name) {}

    /**
     * The root namespace's cookie, the group that tags the topology's devices there, and how to reach
     * it from another namespace, as for {@link Adopted} (neither: not at all, or an older netvirt's
     * record, which did not say).
     */
    record Root(long cookie, int group, String netns, long pid) {
        Root(long cookie, int group) {
            this(cookie, group, null, 0);
        }
    }

    /**
     * An adopted namespace as recorded: its cookie, the group of the devices made there, and how to
     * reach it: by name ({@code netns} non-null), by a pid ({@code pid} > 0), or not at all.
     */
    record Adopted(long cookie, int group, String netns, long pid) {}

    /**
     * A process started detached, by pid and start time, in the namespace of cookie {@code cookie};
     * {@code pidfsInode} its pidfd's inode, 0 where none was recorded (before pidfs, or a record of an
     * older netvirt).
     */
    record Started(long pid, String startTime, long cookie, long pidfsInode) {
        Started(long pid, String startTime, long cookie) {
            this(pid, startTime, cookie, 0);
        }
    }

    /**
     * An inet nftables table put in the namespace of cookie {@code cookie}, reached as an {@link Adopted}
     * one ({@code netns}, else {@code pid}); {@code handle} 0 while its commit's echo is not recorded.
     */
    record NftTable(long cookie, String name, String netns, long pid, long handle) {}

    /**
     * A root qdisc of kind {@code kind} put on device {@code index} of the namespace of cookie
     * {@code cookie}, reached as an {@link Adopted} one; {@code handle} 0 while its add's echo is not
     * recorded.
     */
    record RootQdisc(long cookie, int index, String kind, String netns, long pid, long handle) implements OnDevice {}

    /**
     * An ingress qdisc put on device {@code index} of the namespace of cookie {@code cookie}, reached as
     * an {@link Adopted} one, with a u32 filter of priority {@code priority} mirroring every frame to
     * device {@code to} (egress mirror); {@code handle}, the filter's u32 handle, 0 while its add's echo
     * is not recorded; {@code actionCookie}, the cookie the mirror's action carries, {@code ""} while
     * not recorded (or in a line of a netvirt before it marked its mirrors).
     */
    record Mirror(
            long cookie, int index, int priority, int to, String netns, long pid, long handle, String actionCookie)
            implements OnDevice {}

    /** What a fault put on device {@code index} of the namespace of cookie {@code cookie}, noted by number. */
    interface OnDevice {
        long cookie();

        int index();
    }

    /** Device {@code index}, named {@code name}, set down by a cut in the namespace of cookie {@code cookie}. */
    record CutLink(long cookie, int index, String name, String netns, long pid) {}
}
