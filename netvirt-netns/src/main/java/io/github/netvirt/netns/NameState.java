package io.github.netvirt.netns;

/**
 * What a name under {@code /run/netns} holds now, compared with a namespace (see
 * {@link NetNamespace#nameState(String)} and {@link NetNamespace#nameState(String, long)}; what
 * {@link NetNamespace#deleteName(String)} and {@link NetNamespace#deleteName(String, long)} found). A
 * name proves nothing: anyone may take it the moment it is free.
 */
public enum NameState {
    /** There is no such name. */
    ABSENT,
    /** The name holds the namespace compared with. */
    SAME,
    /** The name holds another namespace (or is not a file netvirt or {@code ip netns} would make). */
    OTHER,
    /** The name is a file that holds no namespace (nothing is mounted on it). */
    NOT_A_NAMESPACE
}
