package dev.ecrdigestguard.finding;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** The phrases the lifecycle findings share, so both speak the same way about rules, ranks and dates. */
final class LifecycleWording {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private LifecycleWording() {
    }

    static String rule(int priority, Optional<String> description) {
        return "rule " + priority + description.filter(d -> !d.isBlank()).map(d -> " '" + d + "'").orElse("");
    }

    static String when(Instant instant) {
        return WHEN.format(instant);
    }
}
