package dev.ecrdigestguard.bench;

import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.lifecycle.LifecycleEngine;
import dev.ecrdigestguard.lifecycle.LifecyclePolicy;
import java.util.List;

/** A quick check without JMH: {@code java -cp … dev.ecrdigestguard.bench.QuickTiming 1000000}. */
public final class QuickTiming {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        List<ImageRecord> images = SyntheticRepository.images(n, 42);
        LifecyclePolicy policy = SyntheticRepository.policy();
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 15; i++) {
            System.gc();
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            var result = LifecycleEngine.evaluate(policy, images, SyntheticRepository.NOW);
            long ms = (System.nanoTime() - start) / 1_000_000;
            long cpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
            System.out.println(n + " images: " + ms + " ms wall, " + cpuMs + " ms cpu of this thread ("
                    + result.decisions().size() + " decisions)");
        }
    }
}
