package io.github.netvirt.bench.peer;

import io.github.netvirt.bench.WholeProcess;
import java.util.Map;

/** {@code peers/star.sh up|down N} with one IMPL (iproute2-exec or ip-batch). */
public final class StarPeer extends WholeProcess {
    private final String impl;
    private final String n;
    private final Map<String, String> env;

    public StarPeer(String impl, String prefix, int n) {
        super(impl);
        this.impl = impl;
        this.n = Integer.toString(n);
        this.env = Map.of("IMPL", impl, "PREFIX", prefix);
    }

    @Override
    public void up() throws Exception {
        Script.run(env, Script.path("star.sh"), "up", n);
    }

    @Override
    public void down() throws Exception {
        Script.run(env, Script.path("star.sh"), "down", n);
    }

    @Override
    public void cleanup() {
        String prefix = env.get("PREFIX");
        for (String ns : Script.netnsStartingWith(prefix)) {
            // the prefix is ours alone: h<i> and br are the only names star.sh makes under it
            Script.quietly(Map.of(), null, "ip", "netns", "del", ns);
        }
    }
}
