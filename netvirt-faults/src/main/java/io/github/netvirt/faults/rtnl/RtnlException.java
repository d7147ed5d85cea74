package io.github.netvirt.faults.rtnl;

import io.github.netvirt.netns.sys.SyscallException;

/** The kernel refused an rtnetlink request: errno, the operation, and the kernel's extended-ack text if any. */
public class RtnlException extends SyscallException {
    private final String kernelMessage;

    public RtnlException(String operation, int errno, String kernelMessage) {
        super(kernelMessage == null ? operation : operation + " (kernel: " + kernelMessage + ")", errno);
        this.kernelMessage = kernelMessage;
    }

    /** The extended-ack text, or null when the kernel gave none. */
    public String kernelMessage() {
        return kernelMessage;
    }
}
