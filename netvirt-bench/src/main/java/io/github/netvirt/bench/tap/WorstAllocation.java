package io.github.netvirt.bench.tap;

/**
 * The zero-allocation target's figure: the most bytes a thread of one of netvirt's paths allocated per
 * frame. The peers' allocations (raw-jna's, C's) are reported beside it, not judged by it.
 */
final class WorstAllocation {
    private double worst;
    private boolean judged;

    /** One run of {@code system}: each thread's bytes allocated over the frames it handled (bytes < 0: not measured). */
    void add(String system, long writerBytes, long writerFrames, long readerBytes, long readerFrames) {
        if (!system.startsWith("netvirt-")) {
            return;
        }
        judged = true;
        worst = Math.max(worst, Math.max(perFrame(writerBytes, writerFrames), perFrame(readerBytes, readerFrames)));
    }

    double worst() {
        return worst;
    }

    /** Whether a run of one of netvirt's paths was added: without one there is nothing to judge. */
    boolean judged() {
        return judged;
    }

    private static double perFrame(long bytes, long frames) {
        return bytes < 0 || frames == 0 ? 0 : (double) bytes / frames;
    }
}
