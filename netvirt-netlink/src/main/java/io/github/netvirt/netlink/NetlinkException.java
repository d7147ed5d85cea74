package io.github.netvirt.netlink;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;

/**
 * The kernel refused a netlink request, or the exchange itself failed (timeout, lost replies,
 * malformed reply). Carries the errno ({@link #errno()}, {@link #errnoConstant()}, {@link #is(Errno)}),
 * the request ({@link #request()}, e.g. {@code RTM_NEWLINK veth a/b}) and the kernel's extended-ack
 * text when it sent one ({@link #kernelMessage()}).
 *
 * <p>Common cases: {@link #isExists()} (EEXIST: the object exists), {@link #isNoDevice()} (ENODEV:
 * no such link), {@link #isPermissionDenied()} (EPERM: CAP_NET_ADMIN is needed), {@link #isTimeout()}
 * (ETIMEDOUT: no reply in time), ENOBUFS (replies were lost because the receive buffer overflowed).
 */
public class NetlinkException extends SyscallException {
    private static final long serialVersionUID = 1L;

    private final String request;
    private final String kernelMessage;
    private final int attributeOffset;
    private final int attributeType;

    NetlinkException(String request, int errno, String kernelMessage, int attributeOffset) {
        this(request, errno, kernelMessage, attributeOffset, -1, null);
    }

    NetlinkException(String request, int errno) {
        this(request, errno, null, -1, -1, null);
    }

    /**
     * A refusal made before asking the kernel, as the kernel would make it: for a request netvirt knows
     * the kernel would take or refuse wrongly (e.g. a second link condition on a veth pair).
     */
    public static NetlinkException refused(String request, Errno errno) {
        return new NetlinkException(request, errno.code());
    }

    /** A failure of the exchange rather than of the request, e.g. a malformed reply. */
    NetlinkException(String request, int errno, String detail, Throwable cause) {
        this(request, errno, detail, -1, -1, cause);
    }

    /** With the type of the offending attribute, found at {@code attributeOffset} in the request. */
    NetlinkException(
            String request, int errno, String kernelMessage, int attributeOffset, int attributeType, Throwable cause) {
        super(request, errno, detail(kernelMessage, attributeOffset, attributeType), cause);
        this.request = request;
        this.kernelMessage = kernelMessage == null ? "" : kernelMessage;
        this.attributeOffset = attributeOffset;
        this.attributeType = attributeType;
    }

    NetlinkException withAttributeType(int type) {
        return type < 0
                ? this
                : new NetlinkException(request, errno(), kernelMessage, attributeOffset, type, getCause());
    }

    /** This error with {@code request} as the description of what failed (e.g. its place in a transaction). */
    public NetlinkException withRequest(String request) {
        return new NetlinkException(request, errno(), kernelMessage, attributeOffset, attributeType, getCause());
    }

    /** The kernel's message and where the offending attribute is, for {@link io.github.netvirt.netns.sys.Errno#message}. */
    private static String detail(String kernelMessage, int offset, int type) {
        StringBuilder sb = new StringBuilder(kernelMessage == null ? "" : kernelMessage);
        if (offset >= 0) {
            sb.append(sb.length() == 0 ? "" : " ").append("(offending attribute");
            if (type >= 0) {
                sb.append(" type ").append(type);
            }
            sb.append(" at byte ").append(offset).append(')');
        }
        return sb.toString();
    }

    /** The request that failed, e.g. {@code RTM_NEWLINK veth a/b}. */
    public String request() {
        return request;
    }

    /** The kernel's extended-ack message ({@code NLMSGERR_ATTR_MSG}), empty when it sent none. */
    public String kernelMessage() {
        return kernelMessage;
    }

    /** Byte offset in the request of the attribute the kernel rejected ({@code NLMSGERR_ATTR_OFFS}), or -1. */
    public int attributeOffset() {
        return attributeOffset;
    }

    /** Type of the attribute the kernel rejected (e.g. 4 = IFLA_MTU in a link request), or -1. */
    public int attributeType() {
        return attributeType;
    }

    public boolean isExists() {
        return is(Errno.EEXIST);
    }

    public boolean isNoDevice() {
        return is(Errno.ENODEV);
    }

    public boolean isPermissionDenied() {
        return is(Errno.EPERM) || is(Errno.EACCES);
    }

    public boolean isTimeout() {
        return is(Errno.ETIMEDOUT);
    }
}
