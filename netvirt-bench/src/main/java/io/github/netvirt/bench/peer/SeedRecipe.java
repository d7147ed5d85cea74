package io.github.netvirt.bench.peer;

import io.github.netvirt.bench.Topo;
import java.util.Map;

/** The seed recipe as shell commands: {@code seed-topology.sh up|down}, VARIANT=iplink. */
public final class SeedRecipe implements Topo {
    private final Map<String, String> env;

    public SeedRecipe(String prefix) {
        this.env = Map.of("PREFIX", prefix, "VARIANT", "iplink");
    }

    @Override
    public String system() {
        return "seed-recipe";
    }

    @Override
    public boolean wholeProcess() {
        return true;
    }

    @Override
    public void up() throws Exception {
        Script.run(env, Script.path("seed-topology.sh"), "up");
    }

    @Override
    public void down() throws Exception {
        Script.run(env, Script.path("seed-topology.sh"), "down");
    }

    @Override
    public void cleanup() {
        Script.quietly(env, null, Script.path("seed-topology.sh"), "down");
    }
}
