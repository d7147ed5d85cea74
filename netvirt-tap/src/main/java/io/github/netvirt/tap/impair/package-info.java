/**
 * A seeded userspace impairment between two TAP devices: {@link io.github.netvirt.tap.impair.TapRelay}
 * copies frames from one to the other through one {@link io.github.netvirt.tap.impair.Impairer} per
 * direction, which delays, jitters, loses, duplicates and reorders IP frames. The n-th IP frame of a
 * direction always gets the same {@link io.github.netvirt.tap.impair.Verdict} for the same seed, so a
 * failing test replays exactly. netvirt-faults' {@code ImpairedLink} and netvirt-core's link
 * conditions (on kernels without netem) are built on it.
 */
package io.github.netvirt.tap.impair;
