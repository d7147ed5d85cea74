/**
 * The netlink wire format in pure Java: {@link io.github.netvirt.netlink.codec.NlWriter} encodes
 * messages and attributes (4-byte alignment, nests) into one reusable buffer;
 * {@link io.github.netvirt.netlink.codec.NlReader} and {@link io.github.netvirt.netlink.codec.NlAttrs}
 * decode them without trusting any length (a bad one is a
 * {@link io.github.netvirt.netlink.codec.MalformedMessageException}, never an out-of-bounds read);
 * {@link io.github.netvirt.netlink.codec.Nl} holds the uapi constants. No native code, no root.
 */
package io.github.netvirt.netlink.codec;
