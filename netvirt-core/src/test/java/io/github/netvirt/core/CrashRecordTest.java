package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NameFile;
import io.github.netvirt.netns.internal.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing crash records back: what a kill -9 cuts short is fine, anything else malformed is refused whole. */
class CrashRecordTest {
    private static final Path P = Path.of("/nonexistent/4242-777-1.topology");

    @Test
    void readsWhatWasWritten() {
        RecordEntry e = RecordParser.parse(
                P,
                List.of(
                        CrashRecord.MAGIC,
                        "owner 4242 777",
                        "boot " + Owner.bootId(),
                        "topology a b",
                        "root 1 2147483646",
                        "ns 18446744073709551615 co-a\\sb",
                        "ns 4097 co-c",
                        "ns-file 77 co-a\\sb",
                        "ns 4098 co-d",
                        "ns-file 78 co-d 1796313358298784166"));
        assertThat(e.pid()).isEqualTo(4242);
        assertThat(e.startTime()).isEqualTo("777");
        assertThat(e.kept()).isFalse();
        assertThat(e.topology()).isEqualTo("a b");
        assertThat(e.root()).isEqualTo(new RecordEntry.Root(1, 0x7ffffffe));
        assertThat(e.namespaces())
                .containsExactly(
                        new RecordEntry.Ns(-1L, new NameFile(77, 0), "co-a b"), // an older netvirt's: no birth time
                        new RecordEntry.Ns(4097, null, "co-c"),
                        new RecordEntry.Ns(4098, new NameFile(78, 1796313358298784166L), "co-d"));
    }

    @Test
    void aNameTakenBeforeItsNamespaceIsReadWithTheCookieThatFollows() {
        RecordEntry e = RecordParser.parse(
                P,
                List.of(
                        CrashRecord.MAGIC,
                        "owner 4242 777",
                        "boot " + Owner.bootId(),
                        "ns-file 77 co-a 1796313358298784166",
                        "ns-file 78 co-b 1796313358298784167",
                        "ns-file 79 co-c 1796313358298784168",
                        "ns 4097 co-b",
                        "ns 4098 co-a"));
        assertThat(e.namespaces())
                .containsExactly(
                        new RecordEntry.Ns(4098, new NameFile(77, 1796313358298784166L), "co-a"),
                        new RecordEntry.Ns(4097, new NameFile(78, 1796313358298784167L), "co-b"),
                        // taken, its namespace never made
                        new RecordEntry.Ns(0, new NameFile(79, 1796313358298784168L), "co-c"));
        // given back (a change undone, or the name found taken after its file was recorded)
        RecordEntry back = RecordParser.parse(
                P,
                List.of(
                        CrashRecord.MAGIC,
                        "owner 4242 777",
                        "boot " + Owner.bootId(),
                        "ns-file 77 co-a 1796313358298784166",
                        "ns 4098 co-a",
                        "ns-file 79 co-c 1796313358298784168",
                        "ns-del 0 co-c"));
        assertThat(back.namespaces()).extracting(RecordEntry.Ns::name).containsExactly("co-a");
    }

    @Test
    void processesStartedDetachedAreReadByPidStartTimeAndNamespaceCookie() {
        RecordEntry e = RecordParser.parse(
                P,
                List.of(
                        CrashRecord.MAGIC,
                        "owner 4242 777",
                        "boot " + Owner.bootId(),
                        "ns 4097 co-c",
                        "process 5150 123456 4097",
                        "process 5151 123457 18446744073709551615",
                        "process 5152 123458 4097 1586897",
                        "kept"));
        assertThat(e.processes())
                .containsExactly(
                        new RecordEntry.Started(5150, "123456", 4097),
                        new RecordEntry.Started(5151, "123457", -1L),
                        new RecordEntry.Started(5152, "123458", 4097, 1586897));
        for (String bad : List.of(
                "process 0 1 2",
                "process 5150 12a 4097",
                "process 5150 1",
                "process -3 1 2",
                "process 5150 1 2 0",
                "process 5150 1 2 +5",
                "process 5150 1 2 -5",
                "process 5150 1 2 18446744073709551616",
                "process 5150 1 2 3 4")) {
            assertThatThrownBy(() -> RecordParser.parse(
                            P, List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void adoptedNamespacesAreReadWithHowToReachThemAndAreNeverNamespacesToRemove() {
        RecordEntry e = RecordParser.parse(
                P,
                List.of(
                        CrashRecord.MAGIC,
                        "owner 4242 777",
                        "boot " + Owner.bootId(),
                        "adopted 5 1073741825 netns some\\sbox",
                        "adopted 6 1073741825 pid 99",
                        "adopted 7 1073741825 -"));
        assertThat(e.adopted())
                .containsExactly(
                        new RecordEntry.Adopted(5, 0x40000001, "some box", 0),
                        new RecordEntry.Adopted(6, 0x40000001, null, 99),
                        new RecordEntry.Adopted(7, 0x40000001, null, 0));
        assertThat(e.namespaces()).isEmpty();
        for (String bad : List.of(
                "adopted 5 0 pid 9",
                "adopted 5 1073741825 pid -1",
                "adopted 5 1073741825 pid",
                "adopted 5 1073741825 netns ../x",
                "adopted 5 1073741825 netns a b",
                "adopted 5 1073741825 fd 3",
                "adopted 5 1073741825 - x",
                "adopted x 1073741825 -")) {
            assertThatThrownBy(() -> RecordParser.parse(
                            P, List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("line 4");
        }
    }

    /** A record is untrusted input: each adopted line costs a cleaner a namespace to enter and a dump. */
    @Test
    void aRecordAdoptsEachNamespaceOnceAndABoundedNumberOfThem() {
        List<String> lines = new ArrayList<>(List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId()));
        lines.add("adopted 5 1073741825 pid 9");
        lines.add("adopted 5 1073741825 pid 9");
        assertThatThrownBy(() -> RecordParser.parse(P, lines))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 5")
                .hasMessageContaining("namespace adopted before");
        lines.remove(4);
        for (int i = 6; i < 6 + RecordParser.MAX_ADOPTED; i++) {
            lines.add("adopted " + i + " 1073741825 -");
        }
        assertThatThrownBy(() -> RecordParser.parse(P, lines))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than " + RecordParser.MAX_ADOPTED + " adopted namespaces");
        lines.remove(lines.size() - 1);
        assertThat(RecordParser.parse(P, lines).adopted()).hasSize(RecordParser.MAX_ADOPTED);
    }

    /**
     * netvirt writes the owner and boot lines in one write, once, in a file named for the owner: a
     * record otherwise was not written by netvirt, and what it names cannot be dated or trusted.
     */
    @Test
    void aRecordIsRefusedWithoutOneBootLineOrWithAnotherOwnerThanItsFileNames() {
        String boot = "boot " + Owner.bootId();
        assertThatThrownBy(() -> RecordParser.parse(P, List.of(CrashRecord.MAGIC, "owner 4242 777", "ns 4097 a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no boot line");
        assertThatThrownBy(() -> RecordParser.parse(P, List.of(CrashRecord.MAGIC, "owner 4242 777", boot, boot)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 4")
                .hasMessageContaining("a second boot");
        assertThatThrownBy(() ->
                        RecordParser.parse(P, List.of(CrashRecord.MAGIC, "owner 4242 777", boot, "owner 4243 777")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a second owner");
        assertThatThrownBy(() -> RecordParser.parse(P, List.of(CrashRecord.MAGIC, "owner 4243 777", boot)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not its owner's (4243-777-N.topology)");
        assertThatThrownBy(() -> RecordParser.parse(P, List.of(CrashRecord.MAGIC, "owner 4242 77", boot)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not its owner's");
        assertThat(RecordParser.parse(P, List.of(CrashRecord.MAGIC, "owner 4242 777", boot))
                        .pid())
                .isEqualTo(4242);
    }

    @Test
    void anEmptyRecordNamesItsOwnerInItsFileName() {
        RecordEntry e = RecordParser.parse(Path.of("99999999-1234-3.topology"), List.of());
        assertThat(e.pid()).isEqualTo(99999999L);
        assertThat(e.ownerAlive()).isFalse();
        assertThat(e.namespaces()).isEmpty();
        assertThat(e.root()).isNull();
    }

    @Test
    void namesThatWouldLeaveRunNetnsAreRefused() {
        for (String name : List.of("../../tmp/victim", "/etc/passwd", "..", ".", "a/b", "x\u0001y", "")) {
            assertThatThrownBy(() -> RecordParser.parse(
                            P,
                            List.of(
                                    CrashRecord.MAGIC,
                                    "owner 4242 777",
                                    "boot " + Owner.bootId(),
                                    "ns 4097 " + RecordFields.escape(name))))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("line 4");
        }
    }

    @Test
    void theRootNamespaceIsReadWithHowToReachItFromAnotherNamespace() {
        for (var c : List.of(
                List.of("root 9 1073741825 netns fb\\sbox", new RecordEntry.Root(9, 0x40000001, "fb box", 0)),
                List.of("root 9 1073741825 pid 1", new RecordEntry.Root(9, 0x40000001, null, 1)),
                List.of("root 9 1073741825 -", new RecordEntry.Root(9, 0x40000001, null, 0)),
                List.of(
                        "root 9 1073741825",
                        new RecordEntry.Root(9, 0x40000001, null, 0)))) { // an older netvirt's line
            assertThat(RecordParser.parse(
                                    P, List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), (String)
                                            c.get(0)))
                            .root())
                    .isEqualTo(c.get(1));
        }
    }

    /**
     * A cleanup deletes every device of the group a root or adopted line names: one netvirt never draws
     * (0, the small numbers admins use, the top of the range, those parseUnsignedInt makes negative)
     * is refused.
     */
    @Test
    void aGroupNetvirtNeverDrawsIsRefused() {
        for (String group : List.of("0", "1", "7", "1073741823", "2147483647", "2147483648", "4294967295")) {
            for (String line : List.of("root 9 " + group, "root 9 " + group + " -", "adopted 5 " + group + " pid 9")) {
                assertThatThrownBy(() -> RecordParser.parse(
                                P, List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), line)))
                        .as(line)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("line 4")
                        .hasMessageContaining("group " + group + " is not one netvirt draws");
            }
        }
        for (int group : List.of(DeviceGroups.LOWEST, Integer.MAX_VALUE - 1)) {
            assertThat(RecordParser.parse(
                                    P,
                                    List.of(
                                            CrashRecord.MAGIC,
                                            "owner 4242 777",
                                            "boot " + Owner.bootId(),
                                            "adopted 5 " + group + " -"))
                            .adopted())
                    .containsExactly(new RecordEntry.Adopted(5, group, null, 0));
        }
    }

    @Test
    void garbageAndOldFormatsAreRefusedWhole() {
        List<List<String>> bad = List.of(
                List.of(
                        "owner 4242 777",
                        "boot " + Owner.bootId(),
                        "ns 1 co-a"), // the inode-based format: no proof of identity
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "rm -rf /"),
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "ns 1 co-a extra"),
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "ns x co-a"),
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "root 1 0"),
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "root 1 0 -"),
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "root 1 1073741825 netns ../x"),
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "root 1 1073741825 pid 0"),
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "root 1 1073741825 pid"),
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "root 1 1073741825 - x"),
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "root 1 1073741825 somewhere"),
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "root 1"),
                List.of(
                        CrashRecord.MAGIC,
                        "owner 4242 777",
                        "boot " + Owner.bootId(),
                        "ns 0 co-a"), // no namespace has cookie 0
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "ns 1 co-a", "ns-file 0 co-a"),
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "ns 1 co-a", "ns-file 5 co-a 0"),
                List.of(
                        CrashRecord.MAGIC,
                        "owner 4242 777",
                        "boot " + Owner.bootId(),
                        "ns 1 co-a",
                        "ns-file 5 co-a 1x"),
                List.of(
                        CrashRecord.MAGIC,
                        "owner 4242 777",
                        "boot " + Owner.bootId(),
                        "ns 1 co-a",
                        "ns-file 5 co-a 1 2"),
                List.of(CrashRecord.MAGIC, "owner -1 777"),
                List.of(CrashRecord.MAGIC, "owner 4242 7x7"),
                List.of(CrashRecord.MAGIC, "ns 1 co-a"));
        for (List<String> lines : bad) {
            assertThatThrownBy(() -> RecordParser.parse(P, lines))
                    .as(lines.toString())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void ownerIsThisProcessOnlyWithTheRightStartTime() {
        long pid = ProcessHandle.current().pid();
        String start = Owner.startTime(pid);
        assertThat(new RecordEntry(P, pid, start, false, "", null, List.of()).pidAlive())
                .isTrue();
        assertThat(new RecordEntry(P, pid, start + "1", false, "", null, List.of()).pidAlive())
                .isFalse();
        assertThat(RecordFields.unescape(RecordFields.escape("a b\\c"))).isEqualTo("a b\\c");
    }

    @Test
    void theLockDecidesWhetherTheOwnerLivesNotItsPid(@TempDir Path dir) throws Exception {
        CrashRecord r = CrashRecord.begin(new RunDir(dir), "t");
        // another record of the same owner (its file names the owner, as every record's does)
        Path copy = dir.resolve(r.path().getFileName().toString().replaceFirst("-[0-9]+\\.topology$", "-0.topology"));
        try {
            RecordEntry held = RecordParser.parse(r.path(), Files.readAllLines(r.path()));
            assertThat(held.ownerAlive()).as("its owner holds the lock").isTrue();
            assertThat(CrashRecord.claim(held)).isEqualTo(CrashRecord.ALIVE);
            // the same lines, nobody holding the lock: this process holds no such record, so it is
            // another owner's of the same pid and start time (pid 1 of another pid namespace, started
            // in the same clock tick), dead (TwinOwnerRecordTest)
            Files.copy(r.path(), copy);
            RecordEntry unlocked = RecordParser.parse(copy, Files.readAllLines(copy));
            assertThat(unlocked.pidAlive()).isTrue();
            assertThat(unlocked.ownerAlive()).isFalse();
            int twin = CrashRecord.claim(unlocked);
            assertThat(twin).isNotNegative();
            Sys.closeQuietly(twin);
            // with another process running here as owner it is still taken for alive (its lock lost
            // to a stray close must not get it removed); with an owner whose pid and start time are
            // gone (or a zombie: ZombieOwnerTest) it is dead
            Process sleeper = new ProcessBuilder("sleep", "600").start();
            try {
                RecordEntry other = new RecordEntry(
                        copy,
                        sleeper.pid(),
                        Owner.startTime(sleeper.pid()),
                        unlocked.boot(),
                        false,
                        "t",
                        null,
                        List.of(),
                        List.of(),
                        List.of());
                assertThat(other.ownerAlive()).isTrue();
                assertThat(CrashRecord.claim(other)).isEqualTo(CrashRecord.ALIVE);
            } finally {
                sleeper.destroyForcibly().waitFor();
            }
            RecordEntry dead = new RecordEntry(
                    copy,
                    unlocked.pid(),
                    unlocked.startTime() + "1",
                    unlocked.boot(),
                    false,
                    "t",
                    null,
                    List.of(),
                    List.of(),
                    List.of());
            assertThat(dead.ownerAlive()).isFalse();
            int fd = CrashRecord.claim(dead);
            assertThat(fd).isNotNegative();
            Sys.closeQuietly(fd);
        } finally {
            r.close();
            Files.deleteIfExists(copy);
        }
        RecordEntry gone = RecordParser.parse(
                dir.resolve("1-1-1.topology"), List.of(CrashRecord.MAGIC, "owner 1 1", "boot " + Owner.bootId()));
        assertThat(gone.ownerAlive()).isFalse();
        assertThat(CrashRecord.claim(gone)).isEqualTo(CrashRecord.GONE);
    }

    @Test
    void aNameTakenByAnotherOwnerOfTheSamePidAndStartTimeIsSkipped(@TempDir Path dir) throws Exception {
        // pid 1 of two pid namespaces started in one clock tick: the same pid, start time and sequence
        CrashRecord first = CrashRecord.begin(new RunDir(dir), "first");
        String name = first.path().getFileName().toString();
        String owner = name.substring(0, name.lastIndexOf('-') + 1);
        long seq = Long.parseLong(name.substring(owner.length(), name.length() - ".topology".length()));
        List<Path> twins = new java.util.ArrayList<>();
        for (long n = seq + 1; n <= seq + 3; n++) {
            Path twin = dir.resolve(owner + n + ".topology");
            Files.write(twin, Files.readAllLines(first.path()));
            twins.add(twin);
        }
        try (CrashRecord second = CrashRecord.begin(new RunDir(dir), "second")) {
            assertThat(second.path()).isEqualTo(dir.resolve(owner + (seq + 4) + ".topology"));
            RecordEntry e = RecordParser.parse(second.path(), Files.readAllLines(second.path()));
            assertThat(e.topology()).isEqualTo("second");
            assertThat(name).startsWith(e.pid() + "-" + e.startTime() + "-");
            for (Path twin : twins) {
                assertThat(Files.readAllLines(twin))
                        .as("the other owner's record")
                        .isEqualTo(Files.readAllLines(first.path()));
            }
        } finally {
            first.close();
            for (Path twin : twins) {
                Files.delete(twin);
            }
        }
    }

    @Test
    void aDetachedTopologysOwnerLetTheLockGoItsPidDecides(@TempDir Path dir) throws Exception {
        CrashRecord r = CrashRecord.begin(new RunDir(dir), "t");
        r.kept(); // writes "kept" and lets the lock go
        try {
            RecordEntry e = RecordParser.parse(r.path(), Files.readAllLines(r.path()));
            assertThat(e.kept()).isTrue();
            assertThat(e.ownerAlive()).as("this process").isTrue();
            RecordEntry other = new RecordEntry(
                    e.path(), e.pid(), e.startTime() + "1", e.boot(), true, "t", null, List.of(), List.of(), List.of());
            assertThat(other.ownerAlive())
                    .as("another start time: a reused pid")
                    .isFalse();
        } finally {
            Files.delete(r.path());
        }
    }

    @Test
    void aDetachedTopologysRecordIsClaimedOnceAnotherCleanerLetsItGo(@TempDir Path dir) throws Exception {
        CrashRecord r = CrashRecord.begin(new RunDir(dir), "t");
        r.kept();
        try {
            RecordEntry e = RecordParser.parse(r.path(), Files.readAllLines(r.path()));
            int other = CrashRecord.claim(e); // another cleaner (the reaper) looking at it
            assertThat(other).isNotNegative();
            Thread lets = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ignored) {
                    // lets go at once
                }
                Sys.closeQuietly(other);
            });
            lets.start();
            int fd = CrashRecord.claim(e);
            lets.join();
            assertThat(fd)
                    .as("claimed after the other cleaner, not taken for a live owner's")
                    .isNotNegative();
            Sys.closeQuietly(fd);
        } finally {
            Files.delete(r.path());
        }
    }

    @Test
    void theTopologyLineIsOneLineOfAtMost1000CodePoints(@TempDir Path dir) throws Exception {
        String smile = "\ud83d\ude00";
        String[][] cases = {
            {"xnet0 xnet1 xbridge", "xnet0 xnet1 xbridge"},
            {"a\tb\nc\u007fd" + smile, "a b c d" + smile},
            {"x".repeat(1000), "x".repeat(1000)},
            {"x".repeat(1001), "x".repeat(1000)},
            {smile.repeat(600), smile.repeat(600)},
            {smile.repeat(1001), smile.repeat(1000)}
        };
        for (String[] c : cases) {
            try (CrashRecord r = CrashRecord.begin(new RunDir(dir), c[0])) {
                List<String> lines = Files.readAllLines(r.path());
                assertThat(lines).hasSize(4);
                assertThat(lines.get(0)).isEqualTo(CrashRecord.MAGIC);
                assertThat(lines.get(1))
                        .isEqualTo("owner " + ProcessHandle.current().pid() + " " + Owner.ownStartTime());
                assertThat(lines.get(2)).isEqualTo("boot " + Owner.bootId());
                assertThat(lines.get(3)).isEqualTo("topology " + c[1]);
            }
        }
    }
}
