package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nft-table lines of a crash record: written and read back, and refused when they do not hold together. */
class CrashRecordTablesTest {
    private static final Path P = Path.of("/nonexistent/4242-777-1.topology");

    private static RecordEntry parse(String... lines) {
        List<String> all = new ArrayList<>(List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId()));
        all.addAll(List.of(lines));
        return RecordParser.parse(P, all);
    }

    @Test
    void writtenTablesReadBackWithTheirHandlesUntilDeleted(@TempDir Path dir) throws Exception {
        CrashRecord r = CrashRecord.begin(new RunDir(dir), "t");
        try {
            r.nftTable(7, "netvirt_fault_1_42", "netns a\\sb");
            r.nftTableHandle(7, "netvirt_fault_1_42", 12);
            r.nftTable(8, "netvirt_fault_2_42", "pid 99");
            r.nftTable(9, "netvirt_fault_3_42", "-");
            r.nftTableHandle(9, "netvirt_fault_3_42", 3);
            r.nftTableDeleted(9, "netvirt_fault_3_42");
            RecordEntry e = RecordParser.parse(r.path(), Files.readAllLines(r.path()));
            assertThat(e.tables())
                    .containsExactly(
                            new RecordEntry.NftTable(7, "netvirt_fault_1_42", "a b", 0, 12),
                            new RecordEntry.NftTable(8, "netvirt_fault_2_42", null, 99, 0));
        } finally {
            r.close();
        }
    }

    @Test
    void linesThatDoNotHoldTogetherAreRefused() {
        String t = "nft-table 7 netvirt_fault_1_42 netns a";
        for (List<String> bad : List.of(
                List.of("nft-table-handle 7 netvirt_fault_1_42 12"), // no table before
                List.of("nft-table-del 7 netvirt_fault_1_42"),
                List.of(t, "nft-table-handle 8 netvirt_fault_1_42 12"), // another namespace's
                List.of(t, "nft-table-handle 7 netvirt_fault_1_42 0"),
                List.of(t, "nft-table-handle 7 netvirt_fault_1_42 12", "nft-table-handle 7 netvirt_fault_1_42 13"),
                List.of(t, t),
                List.of(t, "nft-table-handle 7 netvirt_fault_1_42 -1"),
                List.of(t, "nft-table-handle 7 netvirt_fault_1_42 12 x"),
                List.of("nft-table 7 netvirt_fault_1_42"), // no reach
                List.of("nft-table 7 netvirt_fault_1_42 netns ../etc"),
                List.of("nft-table 7 netvirt_fault_1_42 pid 0"),
                List.of("nft-table 7 netvirt_fault_1_42 elsewhere"),
                List.of("nft-table 7 bad-name netns a"),
                List.of("nft-table 7 " + "a".repeat(256) + " netns a"),
                List.of("nft-table x netvirt_fault_1_42 netns a"))) {
            assertThatThrownBy(() -> parse(bad.toArray(String[]::new)))
                    .as("%s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aRecordListsABoundedNumberOfTables() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i <= RecordParser.MAX_TABLES; i++) {
            lines.add("nft-table 7 t" + i + " -");
        }
        assertThatThrownBy(() -> parse(lines.toArray(String[]::new)))
                .hasMessageContaining("more than " + RecordParser.MAX_TABLES);
        assertThat(parse(lines.subList(0, RecordParser.MAX_TABLES).toArray(String[]::new))
                        .tables())
                .hasSize(RecordParser.MAX_TABLES);
    }
}
