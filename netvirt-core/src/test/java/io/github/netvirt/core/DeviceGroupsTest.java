package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The choice of a device group: one no device of the namespaces concerned carries and no crash record names. */
class DeviceGroupsTest {

    /** Returns the groups given, in order, and records the range each draw asked for. */
    static final class Scripted implements RandomGenerator {
        private final Deque<Integer> groups;
        final List<String> draws = new ArrayList<>();

        Scripted(Integer... groups) {
            this.groups = new ArrayDeque<>(List.of(groups));
        }

        @Override
        public int nextInt(int origin, int bound) {
            draws.add(origin + ".." + bound);
            return groups.remove();
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aGroupInUseIsDrawnAgain() {
        Scripted random = new Scripted(0x5000_0001, 0x5000_0002, 0x5000_0003);
        assertThat(DeviceGroups.unused(random, Set.of(0, 0x5000_0001, 0x5000_0002)))
                .isEqualTo(0x5000_0003);
        assertThat(random.draws)
                .containsExactly("1073741824..2147483647", "1073741824..2147483647", "1073741824..2147483647");
    }

    @Test
    void anUnusedGroupIsTakenAtTheFirstDraw() {
        Scripted random = new Scripted(0x5000_0001, 0x5000_0002);
        assertThat(DeviceGroups.unused(random, Set.of(0, 0x5000_0002))).isEqualTo(0x5000_0001);
        assertThat(random.draws).hasSize(1);
    }

    @Test
    void theGroupsOfEveryRecordAreInUse(@TempDir Path dir) throws Exception {
        CrashRecord a = CrashRecord.begin(new RunDir(dir), "a");
        CrashRecord b = CrashRecord.begin(new RunDir(dir), "b");
        try {
            a.rootDevices(7, 0x5000_0001, "-");
            a.adoptedDevices(8, 0x5000_0002, "pid 99");
            b.adoptedDevices(9, 0x5000_0003, "netns x");
            // neither a record that does not parse nor another file names a group
            Files.writeString(dir.resolve("1-2-3.topology"), "netvirt-record 1\nroot 7 0 -\n");
            Files.writeString(dir.resolve("notes"), "root 7 1610612740 -\n");
            assertThat(DeviceGroups.recorded(new RunDir(dir)))
                    .containsExactlyInAnyOrder(0x5000_0001, 0x5000_0002, 0x5000_0003);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aMissingRunDirNamesNoGroup(@TempDir Path dir) {
        assertThat(DeviceGroups.recorded(new RunDir(dir.resolve("none")))).isEmpty();
    }
}
