package io.github.netvirt.netns;

import java.nio.file.Path;

/**
 * A name under {@code /run/netns} taken before a namespace is mounted on it ({@link
 * NetNamespace#reserveName}): the empty file that carries it, whose identity was handed out before
 * the name existed. {@link NetNamespace#attach(ReservedName)} mounts a namespace on it, once; {@link
 * #close} gives the name back if none was, removing the file only while it is still that empty file
 * with nothing mounted on it. Taking names before the namespaces lets a caller take several in one
 * order, so that of callers wanting some of the same names at once one gets them all. Thread-safe;
 * closing twice does nothing.
 */
public final class ReservedName implements AutoCloseable {
    private final String name;
    private final NameFile file;
    /** A namespace was mounted on it, or it was given back. */
    private boolean used;

    ReservedName(String name, NameFile file) {
        this.name = name;
        this.file = file;
    }

    /** The name taken. */
    public String name() {
        return name;
    }

    /** The identity of the file that carries the name. */
    public NameFile file() {
        return file;
    }

    /**
     * Mounts the namespace of {@code nsFile} (a {@code /proc} path to it) on the name; a failure
     * gives the name back.
     *
     * @throws IllegalStateException if a namespace was mounted on it already, or it was given back
     */
    synchronized void mount(String nsFile) {
        if (used) {
            throw new IllegalStateException("the name \"" + name + "\" was used or given back already");
        }
        used = true;
        try {
            RunNetns.mountAt(RunNetns.file(name), nsFile);
        } catch (RuntimeException e) {
            try {
                RunNetns.removeLeftover(Path.of(RunNetns.file(name)), file);
            } catch (RuntimeException other) {
                e.addSuppressed(other);
            }
            throw e;
        }
    }

    /** Gives the name back if no namespace was mounted on it: removes the file while it is still the one made. */
    @Override
    public synchronized void close() {
        if (!used) {
            used = true;
            RunNetns.removeLeftover(Path.of(RunNetns.file(name)), file);
        }
    }

    @Override
    public String toString() {
        return "ReservedName[" + name + "]";
    }
}
