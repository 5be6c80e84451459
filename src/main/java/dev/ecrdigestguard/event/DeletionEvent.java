package dev.ecrdigestguard.event;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.Objects;

/**
 * A successful tagged {@code DELETE} from ECR ({@code ECR Image Action}): the tag is gone, and with it the image when
 * it was its last. The guard's post-mortem: was it a release it had found expiring out of turn?
 *
 * @param time when ECR recorded the deletion
 */
public record DeletionEvent(String eventId, Instant time, String account, String region, RepositoryName repository,
                            Digest digest, Tag tag) implements TaggedImageEvent {

    public DeletionEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(tag, "tag");
        account = account == null ? "" : account;
        region = region == null ? "" : region;
    }
}
