package io.github.netvirt.bench;

/** One workload of the bench: what {@link Main} runs for its first argument, with the options and the report. */
public abstract class Workload {
    protected final Main.Options o;
    protected final Report report;

    protected Workload(Main.Options o, Report report) {
        this.o = o;
        this.report = report;
    }

    public abstract void run() throws Exception;
}
