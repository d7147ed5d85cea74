package io.github.netvirt.netlink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One or more requests of a {@link NetlinkBatch} failed. The kernel processed every request that was
 * sent: {@link #succeeded()} lists those it applied (to undo them), {@link #failures()} those it
 * refused, and requests never sent (after an exchange failure) are in neither. The errno, request
 * and kernel message of this exception are those of the first failure ({@link #failedIndex()}).
 *
 * <p>A request can be both applied and failed: a veth created with {@code peerUp()} whose peer could
 * not be set up afterwards. Undo every request in {@link #succeeded()}.
 */
public class BatchException extends NetlinkException {
    private static final long serialVersionUID = 1L;

    private final int failedIndex;
    private final List<String> requests;
    private final List<NetlinkException> outcomes;

    BatchException(int failedIndex, List<String> requests, List<NetlinkException> outcomes, boolean[] done) {
        super(
                describe(failedIndex, requests, outcomes),
                outcomes.get(failedIndex).errno(),
                outcomes.get(failedIndex).kernelMessage(),
                outcomes.get(failedIndex).attributeOffset());
        this.failedIndex = failedIndex;
        this.requests = List.copyOf(requests);
        List<NetlinkException> o = new ArrayList<>(outcomes);
        this.outcomes = Collections.unmodifiableList(o);
        this.doneMask = done.clone();
        initCause(outcomes.get(failedIndex));
    }

    private final boolean[] doneMask;

    private static String describe(int i, List<String> requests, List<NetlinkException> outcomes) {
        return "batch request #" + i + " of " + requests.size() + " "
                + outcomes.get(i).request();
    }

    /** Index (in the order the requests were added) of the first request that failed. */
    public int failedIndex() {
        return failedIndex;
    }

    /** Descriptions of all requests, in the order they were added. */
    public List<String> requests() {
        return requests;
    }

    /** Indexes of the requests the kernel acknowledged as done. */
    public List<Integer> succeeded() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < doneMask.length; i++) {
            if (doneMask[i]) {
                out.add(i);
            }
        }
        return out;
    }

    /** Indexes of the requests the kernel refused (or whose exchange failed). */
    public List<Integer> failures() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) != null) {
                out.add(i);
            }
        }
        return out;
    }

    /** The error of request {@code i}, or null if it succeeded or was never sent. */
    public NetlinkException error(int i) {
        return outcomes.get(i);
    }

    /** True if request {@code i} was applied by the kernel. */
    public boolean isDone(int i) {
        return doneMask[i];
    }
}
