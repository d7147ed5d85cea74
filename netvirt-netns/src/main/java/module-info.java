/**
 * Network namespaces: create, enter, run code and processes inside them, clean up. The bottom of
 * netvirt; {@code io.github.netvirt.netns.internal} is netvirt's one native layer (the C library
 * through JNA, the wakeable fd) and the hooks its modules share (host tables, the crash-record
 * journal of a topology's handles), readable by netvirt's own modules only.
 */
module io.github.netvirt.netns {
    requires com.sun.jna;

    exports io.github.netvirt.netns;
    exports io.github.netvirt.netns.sys;
    exports io.github.netvirt.netns.internal to
            io.github.netvirt.netlink,
            io.github.netvirt.tap,
            io.github.netvirt.core,
            io.github.netvirt.faults,
            io.github.netvirt.junit;
// nothing is opened to com.sun.jna: netvirt maps no Structure, and Native.register only lists
// LibC's methods (tried on the module path, JDK 17 and 25)
}
