package dev.ecrdigestguard.retag;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Tag;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What {@link Retagger#retag} did about one tag. */
public sealed interface RetagOutcome {

    Tag tag();

    /** The digest the tag pointed at when the re-tag looked; empty when the tag doesn't exist. */
    Optional<Digest> digestBefore();

    /**
     * The tag now points (or, in a dry run, would point) at {@code toDigest}, an image with the same content as
     * {@code fromDigest}.
     *
     * @param sharedWith  the other production tags, which stay on {@code fromDigest}
     * @param whatChanged one sentence: the label or annotation that was added
     * @param dryRun      nothing was written
     */
    record Retagged(Tag tag, Digest fromDigest, Digest toDigest, List<Tag> sharedWith, String whatChanged,
                    boolean dryRun) implements RetagOutcome {
        public Retagged {
            Objects.requireNonNull(tag);
            Objects.requireNonNull(fromDigest);
            Objects.requireNonNull(toDigest);
            sharedWith = List.copyOf(sharedWith);
            Objects.requireNonNull(whatChanged);
        }

        @Override
        public Optional<Digest> digestBefore() {
            return Optional.of(fromDigest);
        }
    }

    /** Nothing needed doing: the tag has a digest of its own, moved on, or already is our rewrite. */
    record NothingToDo(Tag tag, Optional<Digest> digestBefore, String reason) implements RetagOutcome {
        public NothingToDo {
            Objects.requireNonNull(tag);
            Objects.requireNonNull(digestBefore);
            Objects.requireNonNull(reason);
        }
    }

    /**
     * The tag shares its digest but can't be moved safely (immutable tag, signed image, a manifest type that isn't
     * rewritten); nothing was written.
     */
    record Refused(Tag tag, Optional<Digest> digestBefore, List<Tag> sharedWith, String reason)
            implements RetagOutcome {
        public Refused {
            Objects.requireNonNull(tag);
            Objects.requireNonNull(digestBefore);
            sharedWith = List.copyOf(sharedWith);
            Objects.requireNonNull(reason);
        }
    }
}
