package io.github.netvirt.netns.sys;

import io.github.netvirt.netns.Sandbox;
import io.github.netvirt.netns.internal.Capabilities;
import io.github.netvirt.netns.internal.CodeTable;

/** The Linux errno values netvirt names in its exceptions (the generic numbering: x86-64, aarch64, riscv64, s390x). */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    ESRCH(3, "No such process"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    ENXIO(6, "No such device or address"),
    E2BIG(7, "Argument list too long"),
    EBADF(9, "Bad file descriptor"),
    ECHILD(10, "No child processes"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    ENOTBLK(15, "Block device required"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    EXDEV(18, "Invalid cross-device link"),
    ENODEV(19, "No such device"),
    ENOTDIR(20, "Not a directory"),
    EISDIR(21, "Is a directory"),
    EINVAL(22, "Invalid argument"),
    ENFILE(23, "Too many open files in system"),
    EMFILE(24, "Too many open files"),
    ENOTTY(25, "Inappropriate ioctl for device"),
    ETXTBSY(26, "Text file busy"),
    EFBIG(27, "File too large"),
    ENOSPC(28, "No space left on device"),
    ESPIPE(29, "Illegal seek"),
    EROFS(30, "Read-only file system"),
    EMLINK(31, "Too many links"),
    EPIPE(32, "Broken pipe"),
    EDOM(33, "Numerical argument out of domain"),
    ERANGE(34, "Numerical result out of range"),
    EDEADLK(35, "Resource deadlock avoided"),
    ENAMETOOLONG(36, "File name too long"),
    ENOLCK(37, "No locks available"),
    ENOSYS(38, "Function not implemented"),
    ENOTEMPTY(39, "Directory not empty"),
    ELOOP(40, "Too many levels of symbolic links"),
    ENOMSG(42, "No message of desired type"),
    ENODATA(61, "No data available"),
    ETIME(62, "Timer expired"),
    ENONET(64, "Machine is not on the network"),
    ENOLINK(67, "Link has been severed"),
    EPROTO(71, "Protocol error"),
    EBADMSG(74, "Bad message"),
    EOVERFLOW(75, "Value too large for defined data type"),
    EBADFD(77, "File descriptor in bad state"),
    ERESTART(85, "Interrupted system call should be restarted"),
    EMSGSIZE(90, "Message too long"),
    EPROTOTYPE(91, "Protocol wrong type for socket"),
    ENOPROTOOPT(92, "Protocol not available"),
    EPROTONOSUPPORT(93, "Protocol not supported"),
    EOPNOTSUPP(95, "Operation not supported"),
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    EADDRINUSE(98, "Address already in use"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    ENETDOWN(100, "Network is down"),
    ENETUNREACH(101, "Network is unreachable"),
    ECONNABORTED(103, "Software caused connection abort"),
    ECONNRESET(104, "Connection reset by peer"),
    ENOBUFS(105, "No buffer space available"),
    EISCONN(106, "Transport endpoint is already connected"),
    ENOTCONN(107, "Transport endpoint is not connected"),
    ETIMEDOUT(110, "Connection timed out"),
    ECONNREFUSED(111, "Connection refused"),
    EHOSTUNREACH(113, "No route to host"),
    EALREADY(114, "Operation already in progress"),
    EINPROGRESS(115, "Operation now in progress"),
    ESTALE(116, "Stale file handle"),
    EDQUOT(122, "Disk quota exceeded"),
    ECANCELED(125, "Operation canceled"),
    // the kernel's own, not in libc's headers, yet returned by netlink (tc, nf_tables)
    ENOTSUPP(524, "Operation is not supported"),
    UNKNOWN(-1, "Unknown error");

    private static final CodeTable<Errno> BY_CODE = new CodeTable<>(values(), Errno::code);

    private final int code;
    private final String description;

    Errno(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** The constant for {@code code} (sign ignored), or {@link #UNKNOWN} for one not listed. */
    public static Errno of(int code) {
        Errno e = BY_CODE.get(Math.abs(code));
        return e != null ? e : UNKNOWN;
    }

    /**
     * What netvirt adds to an EPERM or EACCES when the process lacks CAP_NET_ADMIN or CAP_SYS_ADMIN,
     * or runs in a user-namespace sandbox (whose capabilities do not reach the machine's objects):
     * the one "needs root" hint. With both, the refusal has another cause (e.g. an nftables table
     * another socket owns) and the hint would mislead. Outside a sandbox, {@link #message} adds what
     * the process lacks and, when it can make it, the sandbox to it ({@code Capabilities.needsRootHint}).
     */
    public static final String NEEDS_ROOT = " (netvirt needs root or CAP_NET_ADMIN and CAP_SYS_ADMIN)";

    /**
     * The one message form of netvirt's exceptions: {@code OPERATION: EXXX (n, text)[: DETAIL]}, then
     * the {@link #NEEDS_ROOT} hint for EPERM and EACCES when root's capabilities are what is missing.
     *
     * @param detail what the caller knows beyond the errno (the kernel's extended ack, a hint), or null
     */
    public static String message(String operation, int code, String detail) {
        StringBuilder sb = new StringBuilder(operation).append(": ").append(describe(code));
        if (detail != null && !detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        if (needsRoot(code)) {
            sb.append(Capabilities.needsRootHint());
        }
        return sb.toString();
    }

    /**
     * Whether {@code code} is an EPERM or EACCES that root's capabilities would have spared: this
     * process lacks CAP_NET_ADMIN or CAP_SYS_ADMIN, or runs in a user-namespace sandbox (the
     * refusals {@link #message} adds {@link #NEEDS_ROOT} to).
     */
    public static boolean needsRoot(int code) {
        Errno e = of(code);
        return (e == EPERM || e == EACCES)
                && (!Capabilities.held() || Sandbox.current().active());
    }

    /** "EEXIST (17, File exists)", or "errno 200" for a value not listed. */
    public static String describe(int code) {
        Errno e = of(code);
        return e == UNKNOWN ? "errno " + Math.abs(code) : e.name() + " (" + e.code + ", " + e.description + ")";
    }
}
