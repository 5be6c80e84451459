package dev.ecrdigestguard.event;

import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.json.JsonText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An invocation of the guard's own scheduled sweep (not an ECR event): the schedule's tick, or one registry's part of
 * the sweep it started. A sweep is known by the time it was scheduled for, so a retried tick (EventBridge Scheduler
 * retries, Lambda's asynchronous retries) is the same sweep and finds its work already claimed.
 */
public sealed interface SweepRequest {

    /** The {@code source} of every sweep event: the guard's own, never an AWS service's. */
    String SOURCE = "ecr-digest-guard";
    String VERSION = "1";

    /** When the sweep was scheduled for: its identity. */
    Instant sweep();

    /** The sweep's id in logs, alerts and the ledger table: the scheduled time, ISO-8601. */
    default String sweepId() {
        return sweep().toString();
    }

    /**
     * The schedule's tick, as EventBridge Scheduler delivers the template's input.
     *
     * @param executionId the Scheduler's id of this attempt, for logs
     */
    record Scheduled(Instant sweep, String executionId) implements SweepRequest {
        public Scheduled {
            Objects.requireNonNull(sweep, "sweep");
            Objects.requireNonNull(executionId, "executionId");
        }
    }

    /**
     * One registry's part of a sweep, at step {@code step}: each step is one invocation, handing what is left to the
     * next by invoking the function again with the following step.
     */
    record Slice(Instant sweep, AccountRegion registry, int step) implements SweepRequest {
        public static final int MAX_STEPS = 10_000;

        public Slice {
            Objects.requireNonNull(sweep, "sweep");
            Objects.requireNonNull(registry, "registry");
            if (step < 0 || step > MAX_STEPS) {
                throw new IllegalArgumentException("step " + step + " is not between 0 and " + MAX_STEPS);
            }
        }

        public Slice next() {
            return new Slice(sweep, registry, step + 1);
        }

        /** The event that asks the function for this step, as {@link SweepEventReader} reads it. */
        public String toJson() {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("account", registry.account());
            detail.put("region", registry.region());
            detail.put("step", step);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("source", SOURCE);
            event.put("detail-type", SweepEventReader.SLICE);
            event.put("version", VERSION);
            event.put("time", sweep.toString());
            event.put("detail", detail);
            return JsonText.write(event);
        }
    }
}
