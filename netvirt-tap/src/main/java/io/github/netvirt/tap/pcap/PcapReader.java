package io.github.netvirt.tap.pcap;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a classic libpcap file, in either byte order and either timestamp precision, one record at
 * a time into a caller's buffer (nothing allocated per record).
 */
public final class PcapReader implements Closeable {
    private final InputStream in;
    private final boolean swapped;
    private final TimestampPrecision precision;
    private final int snaplen;
    private final int linkType;
    private final byte[] record = new byte[16];
    private boolean headerPending;
    /** Bytes on their way into a buffer without an array, made at the first such read. */
    private byte[] chunk;

    private long epochNanos;
    private int originalLength;

    public PcapReader(InputStream in) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        byte[] h = new byte[24];
        readFully(h, 0, 24, true);
        int le = getInt(h, 0, false);
        int be = getInt(h, 0, true);
        if (TimestampPrecision.ofMagic(le) != null) {
            swapped = false;
            precision = TimestampPrecision.ofMagic(le);
        } else if (TimestampPrecision.ofMagic(be) != null) {
            swapped = true;
            precision = TimestampPrecision.ofMagic(be);
        } else {
            throw new IOException(String.format("not a classic pcap file (magic 0x%08x)", le));
        }
        snaplen = getInt(h, 16, swapped);
        linkType = getInt(h, 20, swapped);
    }

    public static PcapReader open(Path file) throws IOException {
        InputStream is = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new PcapReader(is);
        } catch (IOException | RuntimeException e) {
            is.close();
            throw e;
        }
    }

    public TimestampPrecision precision() {
        return precision;
    }

    public int snaplen() {
        return snaplen;
    }

    /** The file's link type code (1 = Ethernet, 101 = raw IP). */
    public int linkType() {
        return linkType;
    }

    /**
     * Reads the next record into {@code dst} from its position (which advances by the captured
     * length). Returns the captured length, or -1 at the end of the file.
     *
     * @throws IOException when the record does not fit in {@code dst} (it is not consumed: call
     *     again with more room), its captured length is one no capture writes (the file is corrupt:
     *     above the larger of its snapshot length and 262144, or negative), or the file is cut short
     * @throws IllegalArgumentException when {@code dst} is read-only (nothing is consumed)
     */
    public int next(ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read a pcap record into a read-only buffer");
        }
        if (!headerPending && !readFully(record, 0, 16, false)) {
            return -1;
        }
        headerPending = true; // until its bytes are read: a buffer too small must not lose the record
        long seconds = getInt(record, 0, swapped) & 0xffffffffL;
        long fraction = getInt(record, 4, swapped) & 0xffffffffL;
        int caught = getInt(record, 8, swapped);
        originalLength = getInt(record, 12, swapped);
        epochNanos =
                seconds * 1_000_000_000L + (precision == TimestampPrecision.MICROSECONDS ? fraction * 1000 : fraction);
        if (caught < 0 || caught > Math.max(snaplen, PcapWriter.DEFAULT_SNAPLEN)) {
            // no room would ever fit it: as libpcap, refuse what no capture writes
            throw new IOException("corrupt pcap record: captured length " + Integer.toUnsignedString(caught)
                    + " is above the file's snapshot length " + snaplen + " and libpcap's largest, "
                    + PcapWriter.DEFAULT_SNAPLEN);
        }
        if (caught > dst.remaining()) {
            throw new IOException("pcap record of " + caught + " bytes does not fit in " + dst.remaining());
        }
        headerPending = false;
        if (dst.hasArray()) {
            readFully(dst.array(), dst.arrayOffset() + dst.position(), caught, true);
            dst.position(dst.position() + caught);
        } else {
            if (chunk == null) {
                chunk = new byte[8192];
            }
            for (int left = caught; left > 0; ) {
                int n = Math.min(left, chunk.length);
                readFully(chunk, 0, n, true);
                dst.put(chunk, 0, n);
                left -= n;
            }
        }
        return caught;
    }

    /** The last record's timestamp, nanoseconds since 1970. */
    public long epochNanos() {
        return epochNanos;
    }

    /** The last record's length on the wire (larger than the captured length when cut by snaplen). */
    public int originalLength() {
        return originalLength;
    }

    private boolean readFully(byte[] b, int off, int len, boolean required) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                if (done == 0 && !required) {
                    return false;
                }
                throw new EOFException("pcap file cut short");
            }
            done += n;
        }
        return true;
    }

    private static int getInt(byte[] b, int o, boolean bigEndian) {
        if (bigEndian) {
            return (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
        }
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
