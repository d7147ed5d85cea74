import io.github.netvirt.core.Topology;
import io.github.netvirt.examples.Seed;
import java.lang.management.ManagementFactory;

public class JitRounds {
    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[0]);
        var rt = ManagementFactory.getRuntimeMXBean();
        for (int i = 1; i <= rounds; i++) {
            long s = System.nanoTime();
            long u0 = rt.getUptime();
            Topology t = Seed.topology("jz").apply();
            long up = System.nanoTime() - s;
            long u1 = rt.getUptime();
            t.close();
            System.out.println("ROUND " + i + " " + u0 + " " + u1 + " up_us=" + up / 1000);
            Thread.sleep(100);
        }
    }
}
