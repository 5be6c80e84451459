package dev.ecrdigestguard.finding;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing a person can do about a finding. Steps are values, not sentences, for two reasons: an alert with several
 * findings shows each step once however many findings suggest it ({@link #distinct}), and a step the guard's command
 * line carries out ({@link Retag}) is rendered by the alert as a command that works when pasted — the alert knows the
 * region and the production tag patterns, a finding doesn't.
 */
public sealed interface NextStep {

    /** Make each release build produce an image of its own: the fix that makes every other step unnecessary. */
    NextStep UNIQUE_BUILDS = new Advice("Prevent it: make each release build produce a unique image (e.g. a build "
            + "label with the version), so a release tag never lands on an older release's digest.");

    /** The step in words; for a step with a command, what the command does. */
    String text();

    /** Give the release a digest of its own with the guard's {@code retag} command (same content, one label added). */
    record Retag(RepositoryName repository, Tag tag) implements NextStep {
        public Retag {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(tag, "tag");
        }

        @Override
        public String text() {
            return "Give " + tag + " a digest of its own (same content, one label added), so ECR ranks it as a new"
                    + " image.";
        }
    }

    /**
     * Raise a count rule's {@code countNumber} to {@code atLeast} before ECR's next lifecycle run.
     *
     * @param effect what that count keeps, e.g. "keeps the last 5 releases"; empty when it only keeps this one
     */
    record RaiseCount(int rulePriority, Optional<String> ruleDescription, int atLeast, Optional<String> effect)
            implements NextStep {
        public RaiseCount {
            Objects.requireNonNull(ruleDescription, "ruleDescription");
            Objects.requireNonNull(effect, "effect");
            if (atLeast < 1) {
                throw new IllegalArgumentException("a countNumber is at least 1, not " + atLeast);
            }
        }

        @Override
        public String text() {
            return "Raise the countNumber of " + LifecycleWording.rule(rulePriority, ruleDescription) + " to "
                    + atLeast + " before ECR's next lifecycle run" + effect.map(e -> ": that " + e).orElse("") + ".";
        }
    }

    /** Bring an image back from ECR's archive storage class, so it can be pulled again. */
    record RestoreFromArchive(RepositoryName repository, Digest imageDigest) implements NextStep {
        public RestoreFromArchive {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(imageDigest, "imageDigest");
        }

        @Override
        public String text() {
            return "Restore image " + imageDigest.shortForm() + " from ECR's archive to standard storage, so its"
                    + " releases can be pulled again.";
        }
    }

    /** A step in words only. */
    record Advice(String text) implements NextStep {
        public Advice {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("advice needs words");
            }
        }
    }

    /**
     * The steps of several findings, each once, in the order first suggested. Equal steps are one step; two
     * {@link RaiseCount} steps for the same rule are one, with the larger count (it keeps what the smaller keeps).
     */
    static List<NextStep> distinct(List<NextStep> steps) {
        List<NextStep> result = new ArrayList<>();
        for (NextStep step : steps) {
            int same = indexOfSame(result, step);
            if (same < 0) {
                result.add(step);
            } else if (step instanceof RaiseCount raise && raise.atLeast() > ((RaiseCount) result.get(same)).atLeast()) {
                result.set(same, raise);
            }
        }
        return List.copyOf(result);
    }

    private static int indexOfSame(List<NextStep> steps, NextStep step) {
        for (int i = 0; i < steps.size(); i++) {
            NextStep other = steps.get(i);
            if (other.equals(step) || other instanceof RaiseCount a && step instanceof RaiseCount b
                    && a.rulePriority() == b.rulePriority()) {
                return i;
            }
        }
        return -1;
    }
}
