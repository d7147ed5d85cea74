package io.github.netvirt.netlink.codec;

/**
 * A netlink message or attribute whose lengths do not add up: truncated, misaligned, oversized, or
 * an attribute whose payload is too short for its type. The decoder throws this instead of reading
 * out of bounds.
 */
public class MalformedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}
