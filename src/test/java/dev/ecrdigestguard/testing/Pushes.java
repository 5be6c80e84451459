package dev.ecrdigestguard.testing;

import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.Optional;

/** Values of the sample collision, for tests that build pushes and findings by hand. */
public final class Pushes {

    public static final RepositoryName REPOSITORY = RepositoryName.of("shop-api");
    public static final Digest DIGEST =
            Digest.of("sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c");
    public static final Instant PUSHED_AT = Instant.parse("2022-12-15T09:57:20Z");
    public static final Instant EVENT_TIME = Instant.parse("2022-12-22T09:41:12Z");

    private Pushes() {
    }

    public static PushEvent push(RepositoryName repository, Tag tag) {
        return new PushEvent("0a6b2c3d-4e5f-4071-8a9b-0c1d2e3f4a5b", EVENT_TIME, "123456789012", "eu-west-1",
                repository, DIGEST, tag, Optional.empty(), Optional.empty());
    }

    public static PushEvent push(String tag) {
        return push(REPOSITORY, Tag.of(tag));
    }
}
