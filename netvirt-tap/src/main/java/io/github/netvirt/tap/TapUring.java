package io.github.netvirt.tap;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.sys.Errno;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An io_uring of {@link #ENTRIES} entries, used by one thread at a time (its owner's lock) to send
 * or receive several frames with one {@code io_uring_enter}: the caller prepares requests
 * 0..n-1, {@link #run} submits them and waits for all n completions, and {@link #result} gives
 * each request's result ({@code -errno} on failure). Nothing is in flight between two runs, so the
 * ring holds no reference to a tap's file outside {@code run}.
 *
 * <p>The rings are shared memory with the kernel: the SQ tail and CQ head are published with
 * release stores, the kernel's CQ tail read with an acquire load (the kernel reads the SQ tail
 * only inside {@code io_uring_enter}, which is also a full barrier).
 */
final class TapUring implements AutoCloseable {
    static final int ENTRIES = 64;
    static final int OP_READ = 22;
    static final int OP_WRITE = 23;
    /** {@code IOSQE_IO_LINK}: the next request starts after this one, and is cancelled if this one fails. */
    static final int LINK = 1 << 2;

    static final int ECANCELED = 125;
    private static final int RWF_NOWAIT = 0x8;

    private static final int ENTER_GETEVENTS = 1;
    private static final int FEAT_SINGLE_MMAP = 1;
    private static final long OFF_SQ_RING = 0;
    private static final long OFF_CQ_RING = 0x8000000L;
    private static final long OFF_SQES = 0x10000000L;
    private static final int SQE_SIZE = 64;
    private static final int CQE_SIZE = 16;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final int ringFd;
    private final long sqRingAddress;
    private final long sqRingSize;
    private final long cqRingAddress; // 0 when the kernel maps both rings at once
    private final long cqRingSize;
    private final long sqesAddress;
    private final long sqesSize;
    private final ByteBuffer sq;
    private final ByteBuffer cq;
    private final ByteBuffer sqes;
    private final int sqTailOffset;
    private final int sqMask;
    private final int cqHeadOffset;
    private final int cqTailOffset;
    private final int cqMask;
    private final int cqesOffset;
    private final int[] results = new int[ENTRIES];
    private int sqTail;
    private int cqHead;
    private boolean closed;

    private TapUring(int ringFd, Memory p) throws TapIOException {
        this.ringFd = ringFd;
        int sqEntries = p.getInt(0);
        int cqEntries = p.getInt(4);
        int features = p.getInt(20);
        int sqArray = p.getInt(64);
        int cqes = p.getInt(100);
        long sqSize = sqArray + 4L * sqEntries;
        long cqSize = cqes + (long) CQE_SIZE * cqEntries;
        boolean single = (features & FEAT_SINGLE_MMAP) != 0;
        if (single) {
            sqSize = Math.max(sqSize, cqSize);
        }
        long sqAddr = map(sqSize, OFF_SQ_RING, "SQ ring");
        long cqAddr = 0;
        long sqesAddr = 0;
        try {
            if (!single) {
                cqAddr = map(cqSize, OFF_CQ_RING, "CQ ring");
            }
            sqesAddr = map((long) SQE_SIZE * sqEntries, OFF_SQES, "SQEs");
        } catch (TapIOException e) {
            LibC.munmap(sqAddr, sqSize);
            if (cqAddr != 0) {
                LibC.munmap(cqAddr, cqSize);
            }
            throw e;
        }
        sqRingAddress = sqAddr;
        sqRingSize = sqSize;
        cqRingAddress = cqAddr;
        cqRingSize = single ? 0 : cqSize;
        sqesAddress = sqesAddr;
        sqesSize = (long) SQE_SIZE * sqEntries;
        sq = view(sqAddr, sqSize);
        cq = single ? sq : view(cqAddr, cqSize);
        sqes = view(sqesAddr, sqesSize);
        sqTailOffset = p.getInt(44);
        sqMask = sq.getInt(p.getInt(48));
        cqHeadOffset = p.getInt(80);
        cqTailOffset = p.getInt(84);
        cqMask = cq.getInt(p.getInt(88));
        cqesOffset = cqes;
        // the SQ array maps ring slots to SQEs: slot i is always SQE i
        for (int i = 0; i < sqEntries; i++) {
            sq.putInt(sqArray + 4 * i, i);
        }
        sqTail = (int) INT.getAcquire(sq, sqTailOffset);
        cqHead = (int) INT.getAcquire(cq, cqHeadOffset);
    }

    /**
     * Sets up a ring.
     *
     * @throws TapIOException when the kernel refuses: ENOSYS without io_uring, EPERM when it is
     *     disabled ({@code kernel.io_uring_disabled}), ENOMEM
     */
    static TapUring open() throws TapIOException {
        try (Memory p = new Memory(120)) {
            p.clear();
            long fd = LibC.syscall(LibC.SYS_IO_URING_SETUP, ENTRIES, Pointer.nativeValue(p), 0, 0, 0, 0);
            if (fd < 0) {
                throw new TapIOException("io_uring_setup", LibC.errno());
            }
            try {
                return new TapUring((int) fd, p);
            } catch (TapIOException | RuntimeException e) {
                LibC.close((int) fd);
                throw e;
            }
        }
    }

    private long map(long size, long offset, String what) throws TapIOException {
        long a = LibC.mmap(
                0, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_POPULATE, ringFd, offset);
        if (a == LibC.MAP_FAILED) {
            throw new TapIOException("mmap of the io_uring " + what, LibC.errno());
        }
        return a;
    }

    private static ByteBuffer view(long address, long size) {
        return new Pointer(address).getByteBuffer(0, size).order(ByteOrder.nativeOrder());
    }

    /**
     * Prepares request {@code i} (0..{@link #ENTRIES}-1) of the next {@link #run}: {@code op} on
     * {@code fd} with {@code len} bytes at {@code address}; {@code flags} 0 or {@link #LINK}.
     */
    void prepare(int i, int op, int flags, int fd, long address, int len) {
        int at = ((sqTail + i) & sqMask) * SQE_SIZE;
        sqes.putLong(at, 0); // opcode, flags, ioprio, fd
        sqes.put(at, (byte) op);
        sqes.put(at + 1, (byte) flags);
        sqes.putInt(at + 4, fd);
        sqes.putLong(at + 8, 0); // offset: none on a stream
        sqes.putLong(at + 16, address);
        sqes.putInt(at + 24, len);
        // RWF_NOWAIT: a tap supports non-blocking I/O (FMODE_NOWAIT), so without it io_uring ignores
        // the fd's O_NONBLOCK and parks a read of an empty queue until a frame comes (or forever);
        // with it the request completes at once with -EAGAIN, as read() does
        sqes.putInt(at + 28, RWF_NOWAIT);
        sqes.putLong(at + 32, i); // user_data: the request's index
        sqes.putLong(at + 40, 0); // buf_index, personality, splice_fd_in
        sqes.putLong(at + 48, 0);
        sqes.putLong(at + 56, 0);
    }

    /**
     * Submits the requests 0..n-1 prepared since the last run and waits until all n completed.
     *
     * @throws TapIOException when {@code io_uring_enter} fails (not for the requests' own errors:
     *     see {@link #result})
     */
    void run(int n) throws TapIOException {
        sqTail += n;
        INT.setRelease(sq, sqTailOffset, sqTail);
        int toSubmit = n;
        int reaped = 0;
        while (reaped < n) {
            long r = LibC.syscall(LibC.SYS_IO_URING_ENTER, ringFd, toSubmit, n - reaped, ENTER_GETEVENTS, 0, 0);
            if (r >= 0) {
                toSubmit -= (int) r;
            } else {
                int err = LibC.errno();
                // EINTR: a signal during the wait; EAGAIN/EBUSY: the kernel wants completions reaped first
                if (err != Errno.EINTR.code() && err != Errno.EAGAIN.code() && err != Errno.EBUSY.code()) {
                    // the ring's state is unknown now (requests left unsubmitted, or still in
                    // flight): release it; the owner goes on without it
                    close();
                    throw new TapIOException("io_uring_enter", err);
                }
            }
            reaped += reap();
        }
    }

    /** False once closed, also after a failed {@link #run}: then it must not be used again. */
    synchronized boolean isOpen() {
        return !closed;
    }

    /** The result of request {@code i} of the last run: bytes transferred, or {@code -errno}. */
    int result(int i) {
        return results[i];
    }

    private int reap() {
        int tail = (int) INT.getAcquire(cq, cqTailOffset);
        int head = cqHead;
        int n = 0;
        while (head != tail) {
            int at = cqesOffset + (head & cqMask) * CQE_SIZE;
            results[(int) cq.getLong(at)] = cq.getInt(at + 8);
            head++;
            n++;
        }
        cqHead = head;
        INT.setRelease(cq, cqHeadOffset, head);
        return n;
    }

    /** Unmaps the rings and closes the ring's fd. Idempotent; not while a {@link #run} is going on. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LibC.munmap(sqesAddress, sqesSize);
        LibC.munmap(sqRingAddress, sqRingSize);
        if (cqRingAddress != 0) {
            LibC.munmap(cqRingAddress, cqRingSize);
        }
        LibC.close(ringFd);
    }
}
