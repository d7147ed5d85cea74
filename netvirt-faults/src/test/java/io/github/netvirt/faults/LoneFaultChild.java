package io.github.netvirt.faults;

import io.github.netvirt.netns.NetNamespace;
import java.util.List;

/**
 * A JVM that opens two namespaces alone ({@link NetNamespace#open}, no topology: no crash record),
 * puts a partition between them and a connection refusal in the second, says so and waits to be
 * killed: {@code LoneFaultChild NS_A NS_B}.
 */
public final class LoneFaultChild {
    private LoneFaultChild() {}

    public static void main(String[] args) throws Exception {
        NetNamespace a = NetNamespace.open(args[0]);
        NetNamespace b = NetNamespace.open(args[1]);
        Partition.between(List.of(a), List.of(b));
        ConnectionFault.refuse(b, 5432);
        System.out.println("FAULTED");
        Thread.sleep(600_000);
    }
}
