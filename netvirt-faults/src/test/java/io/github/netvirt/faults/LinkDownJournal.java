package io.github.netvirt.faults;

import io.github.netvirt.netns.internal.Journal;
import java.util.function.BiFunction;

/** A journal that notes nothing and hands each link down it is asked to note to a test's code, at that moment. */
final class LinkDownJournal {
    private LinkDownJournal() {}

    /** Notes nothing; {@code onDown} (ifindex, name) answers each {@link Journal#linkDown}. */
    static Journal of(BiFunction<Integer, String, Journal.Note> onDown) {
        return new Journal() {
            @Override
            public Made nftTable(String name) {
                return Made.NONE;
            }

            @Override
            public Made rootQdisc(int index, String kind) {
                return Made.NONE;
            }

            @Override
            public Made ingressMirror(int index, int priority, int to, String actionCookie) {
                return Made.NONE;
            }

            @Override
            public Note linkDown(int index, String name) {
                return onDown.apply(index, name);
            }
        };
    }
}
