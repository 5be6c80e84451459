package dev.ecrdigestguard.event;

import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;

/** What every {@code ECR Image Action} the guard acts on names: which tag, on which image, where, and when. */
public interface TaggedImageEvent {

    /** The EventBridge event id, for logs and de-duplication. */
    String eventId();

    /** When ECR recorded the action. */
    Instant time();

    String account();

    String region();

    RepositoryName repository();

    Digest digest();

    Tag tag();

    /** The registry the image lives in. */
    default AccountRegion registry() {
        return AccountRegion.of(account(), region());
    }
}
