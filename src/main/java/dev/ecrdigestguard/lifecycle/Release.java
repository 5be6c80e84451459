package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.Objects;

/**
 * A production tag on its digest, and when it was first seen there: the moment the release happened, which is what a
 * person means by "the last five releases" and what ECR does not know (it ranks the digest by its first push).
 *
 * @param source how the time is known; {@link Source#IMAGE_PUSHED_AT} means it is not known and the digest's push
 *               time stands in, which makes a release on an old digest look as old as the digest
 */
public record Release(Tag tag, Instant firstSeen, Source source) {

    public enum Source {
        /** Recorded by the guard when the push happened (the release ledger). */
        LEDGER,
        /** The push being handled right now. */
        PUSH_EVENT,
        /** Not recorded (pushed before the guard was deployed): the digest's {@code imagePushedAt}. */
        IMAGE_PUSHED_AT
    }

    public Release {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(source, "source");
    }

    public boolean recorded() {
        return source != Source.IMAGE_PUSHED_AT;
    }
}
