package io.github.netvirt.netns;

/**
 * Which empty file under {@code /run/netns} a process made to carry a namespace's name (see
 * {@link NetNamespace#reserveName}): its inode number and its birth
 * time ({@code statx}'s {@code btime}, in nanoseconds since the epoch; 0 when the file system does
 * not say). The inode number alone proves nothing: ext4 hands a freed one to the next file made
 * there, often at once; a file made later was born later.
 */
public record NameFile(long inode, long birth) {}
