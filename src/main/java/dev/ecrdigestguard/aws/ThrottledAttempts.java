package dev.ecrdigestguard.aws;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts the attempts AWS answered with throttling, from the SDK's own per-attempt metrics ({@code ERROR_TYPE}
 * "Throttling" on each {@code ApiCallAttempt}). A client with adaptive retries slows down when throttled and gets
 * there in the end, so nothing fails — which is why a long run should say that it was throttled, and how often.
 * Attach it with {@code overrideConfiguration(c -> c.addMetricPublisher(counter))}.
 */
public final class ThrottledAttempts implements MetricPublisher {

    /** The SDK's name for a throttling error type ({@code SdkErrorType.THROTTLING}, an internal class). */
    static final String THROTTLING = "Throttling";

    private final AtomicLong count = new AtomicLong();

    @Override
    public void publish(MetricCollection metrics) {
        count.addAndGet(throttled(metrics));
    }

    private static long throttled(MetricCollection metrics) {
        long here = metrics.metricValues(CoreMetric.ERROR_TYPE).stream().filter(THROTTLING::equals).count();
        for (MetricCollection child : metrics.children()) {
            here += throttled(child);
        }
        return here;
    }

    /** Throttled attempts so far. */
    public long count() {
        return count.get();
    }

    @Override
    public void close() {
    }
}
