package io.github.netvirt.tap;

import java.io.InterruptedIOException;

/** No frame arrived within the read timeout. The device is still usable. */
public class TapTimeoutException extends InterruptedIOException {
    TapTimeoutException(String message) {
        super(message);
    }
}
