package dev.ecrdigestguard.finding;

import dev.ecrdigestguard.event.PushEvent;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the guard concluded about one push.
 *
 * @param event    the push
 * @param findings what a person should know, most severe first; empty when the release is safe
 * @param summary  one sentence on what the guard did, for logs and the command line
 * @param notes    what the guard could not judge and why (a policy ECR would reject, a repository too large to read
 *                 before the deadline), each a sentence
 */
public record GuardReport(PushEvent event, List<Finding> findings, String summary, List<String> notes) {

    public GuardReport {
        Objects.requireNonNull(event);
        findings = findings.stream()
                .sorted(Comparator.comparing(Finding::severity).reversed())
                .toList();
        Objects.requireNonNull(summary);
        notes = List.copyOf(notes);
    }

    public GuardReport(PushEvent event, List<Finding> findings, String summary) {
        this(event, findings, summary, List.of());
    }

    public boolean hasFindings() {
        return !findings.isEmpty();
    }

    public Optional<Finding.Severity> highestSeverity() {
        return findings.stream().map(Finding::severity).max(Comparator.naturalOrder());
    }
}
