package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a name among {@code linux_dirent64} records, and a real directory's entries. */
class DirEntriesTest {

    /** One {@code struct linux_dirent64}: ino, off, reclen, type, the name and its NUL, padded to 8. */
    private static void put(ByteBuffer b, long ino, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        int reclen = (19 + n.length + 1 + 7) & ~7;
        int at = b.position();
        b.putLong(ino).putLong(0).putShort((short) reclen).put((byte) 8).put(n).put((byte) 0);
        b.position(at + reclen);
    }

    @Test
    void findsTheInodeOfTheNamedEntryOnly() {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        put(b, 11, ".");
        put(b, 2, "..");
        put(b, 1234567890123L, "net0");
        put(b, 42, "net0-bridge");
        int n = b.position();
        assertThat(DirEntries.find(b.array(), n, "net0".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(1234567890123L);
        assertThat(DirEntries.find(b.array(), n, "net0-bridge".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(42);
        assertThat(DirEntries.find(b.array(), n, "net".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(-1);
        // a record cut off, or a length no kernel writes: nothing found, no exception
        assertThat(DirEntries.find(b.array(), n - 1, "net0-bridge".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(-1);
        b.putShort(16, (short) 3);
        assertThat(DirEntries.find(b.array(), n, "net0".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(-1);
    }

    @Test
    void aDirectorysEntriesHoldTheirFilesInodes(@TempDir Path dir) throws Exception {
        Path f = Files.createFile(dir.resolve("a-file"));
        assertThat(DirEntries.inodeOf(dir.toString(), "a-file"))
                .isEqualTo(FileStat.of(f.toString(), false).inode());
        assertThat(DirEntries.inodeOf(dir.toString(), "none")).isEqualTo(-1);
    }
}
