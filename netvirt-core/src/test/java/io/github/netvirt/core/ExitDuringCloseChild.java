package io.github.netvirt.core;

/**
 * A JVM that applies a named star ({@code ExitDuringCloseChild PREFIX HOSTS}) and closes it, and
 * calls {@code System.exit} from another thread once the close has begun (from an action the close
 * runs on host h1's handle), with no shutdown hook of its own.
 */
public final class ExitDuringCloseChild {
    private ExitDuringCloseChild() {}

    public static void main(String[] args) {
        Topology t =
                CrashChild.star(false, args[0], Integer.parseInt(args[1]), null).apply();
        t.namespace("h1").beforeClose(() -> {
            new Thread(() -> System.exit(3), "exit").start();
            try {
                Thread.sleep(300); // the exit runs the shutdown hooks meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        System.out.println("closing");
        System.out.flush();
        t.close();
        System.out.println("closed");
    }
}
