package io.github.netvirt.tap.pcap;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;

/**
 * Writes frames to a classic libpcap file (the format {@code tcpdump -w} writes and
 * {@code tcpdump -r}, Wireshark and libpcap read): a 24-byte file header, then per frame a 16-byte
 * record header (seconds, micro- or nanoseconds, captured length, original length) and the bytes.
 * Fields are little-endian; the magic number tells readers so.
 *
 * <p>Nothing is allocated per frame: the record header is reused and timestamps come from a clock
 * read once at creation and advanced with {@link System#nanoTime()}. A time given is nanoseconds
 * since 1970 and before 2106-02-07T06:28:16Z (a record's seconds are unsigned 32 bits): another is
 * refused with {@link IllegalArgumentException} before anything is written. Not thread-safe: use
 * one writer per thread, or synchronise.
 */
public final class PcapWriter implements Closeable, Flushable {
    /** The snapshot length tcpdump uses by default: no frame is cut. */
    public static final int DEFAULT_SNAPLEN = 262144;

    /** 2106-02-07T06:28:16Z: a record's seconds are unsigned 32 bits. */
    private static final long END_OF_TIME = (1L << 32) * 1_000_000_000L;

    private final OutputStream out;
    private final TimestampPrecision precision;
    private final int snaplen;
    private final byte[] record = new byte[16];
    private final long epochNanosAtStart;
    private final long nanoTimeAtStart;
    private byte[] scratch;
    private long frames;
    private boolean closed;

    /**
     * Writes the file header to {@code out} (which this writer then owns and closes).
     *
     * @param snaplen the longest frame stored whole; longer ones are cut and keep their original length
     */
    public PcapWriter(OutputStream out, LinkType linkType, TimestampPrecision precision, int snaplen)
            throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        this.precision = Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(linkType, "linkType");
        if (snaplen < 1) {
            throw new IllegalArgumentException("snaplen must be positive, got " + snaplen);
        }
        this.snaplen = snaplen;
        Instant now = Instant.now();
        this.nanoTimeAtStart = System.nanoTime();
        this.epochNanosAtStart = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        byte[] h = new byte[24];
        putInt(h, 0, precision.magic());
        putShort(h, 4, 2); // version 2.4
        putShort(h, 6, 4);
        putInt(h, 8, 0); // thiszone
        putInt(h, 12, 0); // sigfigs
        putInt(h, 16, snaplen);
        putInt(h, 20, linkType.code());
        out.write(h);
    }

    /**
     * Creates (or truncates) {@code file} for Ethernet frames with the default snapshot length, as
     * {@link #create(Path, LinkType, TimestampPrecision)}.
     */
    public static PcapWriter create(Path file, TimestampPrecision precision) throws IOException {
        return create(file, LinkType.ETHERNET, precision);
    }

    /**
     * Creates (or truncates) {@code file} with the default snapshot length. A regular file is locked
     * until {@link #close()} ({@link FileChannel#tryLock()}): one that another writer of this JVM, or
     * of another process that locks it so, is writing is refused and left as it is (two writers would
     * interleave their records into a file no reader can read).
     *
     * @throws IOException when the file cannot be created, or another writer is writing it
     */
    public static PcapWriter create(Path file, LinkType linkType, TimestampPrecision precision) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (Files.isRegularFile(file)) {
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    throw new IOException(
                            file + " is being written by another writer (of this JVM or another process)");
                }
                ch.truncate(0); // only now: the file was another's until the lock was taken
            }
            return new PcapWriter(
                    new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16),
                    linkType,
                    precision,
                    DEFAULT_SNAPLEN);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Appends {@code frame[off..off+len)} stamped with the current time. */
    public void write(byte[] frame, int off, int len) throws IOException {
        write(frame, off, len, now());
    }

    /**
     * Appends {@code frame[off..off+len)} stamped {@code epochNanos} (nanoseconds since 1970).
     *
     * @throws IllegalArgumentException when the time is before 1970 or from 2106-02-07T06:28:16Z on,
     *     which a classic pcap record cannot hold (nothing is written)
     */
    public void write(byte[] frame, int off, int len, long epochNanos) throws IOException {
        Objects.checkFromIndexSize(off, len, frame.length);
        int caught = header(len, len, epochNanos);
        out.write(frame, off, caught);
        frames++;
    }

    /** Appends the bytes from {@code frame}'s position to its limit, stamped now; the position is left alone. */
    public void write(ByteBuffer frame) throws IOException {
        write(frame, now());
    }

    /** Appends the bytes from {@code frame}'s position to its limit; the position is left alone. */
    public void write(ByteBuffer frame, long epochNanos) throws IOException {
        write(frame, frame.remaining(), epochNanos);
    }

    /**
     * Appends the bytes from {@code frame}'s position to its limit, the start of a frame that was
     * {@code originalLength} bytes long on the device (cut before it reached the writer, as a
     * capture's snapshot length cuts it); the position is left alone.
     *
     * @throws IllegalArgumentException when {@code originalLength} is shorter than the bytes given
     */
    public void write(ByteBuffer frame, int originalLength, long epochNanos) throws IOException {
        int len = frame.remaining();
        if (originalLength < len) {
            throw new IllegalArgumentException(
                    "original length " + originalLength + " is shorter than the " + len + " bytes given");
        }
        int caught = header(len, originalLength, epochNanos);
        if (frame.hasArray()) {
            out.write(frame.array(), frame.arrayOffset() + frame.position(), caught);
        } else {
            if (scratch == null || scratch.length < caught) {
                scratch = new byte[Math.max(caught, 65_600)];
            }
            frame.get(frame.position(), scratch, 0, caught);
            out.write(scratch, 0, caught);
        }
        frames++;
    }

    private int header(int len, int originalLength, long epochNanos) throws IOException {
        if (closed) {
            throw new IOException("pcap writer is closed");
        }
        if (epochNanos < 0 || epochNanos >= END_OF_TIME) {
            throw new IllegalArgumentException("time " + epochNanos
                    + " ns since 1970 is outside what a classic pcap record holds (unsigned 32-bit seconds)");
        }
        int caught = Math.min(len, snaplen);
        long seconds = epochNanos / 1_000_000_000L;
        int nanos = (int) (epochNanos % 1_000_000_000L);
        putInt(record, 0, (int) seconds);
        putInt(record, 4, precision.fraction(nanos));
        putInt(record, 8, caught);
        putInt(record, 12, originalLength);
        out.write(record);
        return caught;
    }

    /** Nanoseconds since 1970, without allocating. */
    public long now() {
        return epochNanosAtStart + (System.nanoTime() - nanoTimeAtStart);
    }

    /** Frames written so far. */
    public long frameCount() {
        return frames;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
        b[o + 2] = (byte) (v >>> 16);
        b[o + 3] = (byte) (v >>> 24);
    }

    private static void putShort(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
    }
}
