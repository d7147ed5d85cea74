package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.OpenFds;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first socket a JVM makes through the JDK makes the JDK keep one of its own for good (the
 * pre-close descriptor of sun.nio.ch's dispatcher, on JDK 25 made on that first use): when that first
 * socket is made inside a namespace, the JDK's is made there too, and keeps the namespace alive
 * after its name and every handle are gone. netvirt has the JDK make it in the JVM's namespace.
 */
@RequiresRoot
class FirstSocketInsideTest {
    private final String name = TestNames.unique("hJs");

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name);

    @Test
    void theFirstSocketOfAJvmMadeInsideLeavesNoSocketThere() throws Exception {
        String out = ChildJvm.run(Child.class, 120, name);
        assertThat(out).as(out).contains("sockets left inside: []");
    }

    /** A JVM whose first socket is made inside a namespace; prints the sockets of that namespace left after. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            long cookie;
            try (NetNamespace ns = NetNamespace.create(args[0])) {
                cookie = ns.cookie();
                ns.call(() -> {
                    try (ServerSocket s = new ServerSocket(0)) {
                        return s.getLocalPort();
                    }
                });
                ns.delete();
            }
            System.out.println("sockets left inside: " + OpenFds.awaitNoSocketsIn(cookie, 5));
            System.exit(0);
        }
    }
}
