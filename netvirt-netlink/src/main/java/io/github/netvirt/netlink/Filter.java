package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import java.util.List;

/**
 * A traffic-control filter as the kernel reports it ({@code RTM_NEWTFILTER}), as {@code tc filter
 * show} lists it: an immutable snapshot. A u32 filter is reported as its hash table ({@code 800:},
 * no actions) and its nodes ({@code 800::800}, with their actions).
 *
 * @param index ifindex of the device
 * @param parent the qdisc or class the filter hangs on ({@code ffff:} for the ingress qdisc)
 * @param handle the filter's handle (for u32 {@code htid:hash:node})
 * @param priority {@code pref}
 * @param protocol the ethertype matched ({@code 0x0003} ETH_P_ALL for "all")
 * @param kind the classifier, e.g. "u32"
 * @param mirred the mirred actions of the filter, in order (empty when none)
 * @param otherActions the kinds of its other actions ({@code gact}, {@code police}...), in order:
 *     netvirt adds none
 */
public record Filter(
        int index,
        int parent,
        int handle,
        int priority,
        int protocol,
        String kind,
        List<Mirred> mirred,
        List<String> otherActions) {
    public Filter {
        mirred = List.copyOf(mirred);
        otherActions = List.copyOf(otherActions);
    }

    /** A filter whose actions are all mirred actions. */
    public Filter(int index, int parent, int handle, int priority, int protocol, String kind, List<Mirred> mirred) {
        this(index, parent, handle, priority, protocol, kind, mirred, List.of());
    }

    /**
     * A {@code mirred} action.
     *
     * @param action {@code TCA_EGRESS_MIRROR} (2), {@code TCA_EGRESS_REDIR} (1), {@code TCA_INGRESS_*} (4, 3)
     * @param ifindex the device frames are copied or sent to
     * @param cookie the action's cookie in lower-case hex, as {@code tc} shows it ({@link FilterSpec#cookie}),
     *     {@code ""} when it has none
     */
    public record Mirred(int action, int ifindex, String cookie) {
        public Mirred {
            cookie = cookie.isEmpty() ? cookie : FilterSpec.checkCookie(cookie);
        }

        /** An action without a cookie. */
        public Mirred(int action, int ifindex) {
            this(action, ifindex, "");
        }

        public boolean isEgressMirror() {
            return action == Nl.TCA_EGRESS_MIRROR;
        }

        /**
         * Whether this action, as a dump reports it, is {@code ours} (as {@link NetlinkHandle#filterCreate}
         * returned it): with a cookie, the same kind of action carrying that cookie, whatever its target
         * is now; without one, an equal action.
         */
        public boolean isSame(Mirred ours) {
            // the kernel unbinds a mirred action from its target when that device is deleted and reports
            // it with ifindex 0 (tc's "to device *") from then on, with a device made since under the
            // target's name too: the cookie is the proof, the target is not
            return ours.cookie.isEmpty() ? equals(ours) : action == ours.action && cookie.equals(ours.cookie);
        }
    }

    /**
     * Whether this entry, as a dump reports it, is {@code ours} (as {@link NetlinkHandle#filterCreate}
     * returned it): the same device, parent, handle, priority, protocol and kind, its mirred actions
     * each {@link Mirred#isSame} as {@code ours}'s, in order, and the same other actions. An action with
     * a cookie is proven by its cookie alone: the filter of a mirror or redirect whose target was
     * deleted since is still {@code ours}.
     */
    public boolean isSame(Filter ours) {
        if (index != ours.index
                || parent != ours.parent
                || handle != ours.handle
                || priority != ours.priority
                || protocol != ours.protocol
                || !kind.equals(ours.kind)
                || !otherActions.equals(ours.otherActions)
                || mirred.size() != ours.mirred.size()) {
            return false;
        }
        for (int i = 0; i < mirred.size(); i++) {
            if (!mirred.get(i).isSame(ours.mirred.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the kernel lists this entry as part of {@code ours} (a u32 filter as
     * {@link NetlinkHandle#filterCreate} returned it): {@code ours} itself ({@link #isSame}), or its priority's u32
     * classifier (handle 0) and hash table ({@code 800:}), which carry no actions.
     */
    public boolean isPartOf(Filter ours) {
        return isSame(ours)
                || priority == ours.priority
                        && kind.equals(ours.kind)
                        && (handle == 0 || handle == (ours.handle & U32_TABLE))
                        && mirred.isEmpty()
                        && otherActions.isEmpty();
    }

    /** The hash table bits of a u32 handle ({@code htid:hash:node}, 12:8:12 bits). */
    private static final int U32_TABLE = 0xfff00000;

    @Override
    public String toString() {
        return "filter " + kind + " dev #" + index + " parent " + TcHandle.format(parent) + " pref " + priority
                + " protocol 0x" + Integer.toHexString(protocol) + " fh 0x" + Integer.toHexString(handle) + " "
                + mirred + (otherActions.isEmpty() ? "" : " " + otherActions);
    }
}
