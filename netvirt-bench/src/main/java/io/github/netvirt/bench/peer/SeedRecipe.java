package io.github.netvirt.bench.peer;

import io.github.netvirt.bench.WholeProcess;
import java.util.Map;

/** The seed recipe as shell commands, one {@code ip} process each: {@code peers/seed.sh up|down}. */
public final class SeedRecipe extends WholeProcess {
    private final Map<String, String> env;

    public SeedRecipe(String prefix) {
        super("seed-recipe");
        this.env = Map.of("PREFIX", prefix);
    }

    @Override
    public void up() throws Exception {
        Script.run(env, Script.path("seed.sh"), "up");
    }

    @Override
    public void down() throws Exception {
        Script.run(env, Script.path("seed.sh"), "down");
    }

    @Override
    public void cleanup() {
        Script.quietly(env, null, Script.path("seed.sh"), "down");
    }
}
