/**
 * The userspace impaired link: two namespaces joined through TAP devices by a relay in this JVM
 * that delays, jitters, loses, duplicates and reorders IP frames with one seeded
 * {@link io.github.netvirt.tap.impair.Impairer} (netvirt-tap) per direction. The n-th IP frame of a direction
 * always gets the same {@link io.github.netvirt.tap.impair.Verdict} for the same seed, so a
 * failing test replays exactly.
 *
 * <pre>{@code
 * try (NetNamespace a = NetNamespace.ephemeral(); NetNamespace b = NetNamespace.ephemeral();
 *      ImpairedLink link = ImpairedLink.open(
 *              Endpoint.of(a, "imp0", InetAddress.getByName("10.0.0.1"), 24),
 *              Endpoint.of(b, "imp0", InetAddress.getByName("10.0.0.2"), 24),
 *              Impairment.none().withDelay(Duration.ofMillis(20), Duration.ofMillis(5)).withLoss(0.01),
 *              42)) {
 *     ... traffic between 10.0.0.1 and 10.0.0.2 ...
 *     link.verdicts(ImpairedLink.Direction.A_TO_B); // what happened to each frame
 * }
 * }</pre>
 */
package io.github.netvirt.faults.impair;
