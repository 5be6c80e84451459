package dev.ecrdigestguard.detect;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;

/**
 * Something the guard found about a production push that a person should know. Each kind is its own record so
 * renderers (SNS, Slack, JSON) can say precisely what happened.
 */
public sealed interface Finding
        permits SharedDigestFinding, LifecycleExpiryFinding, LifecycleOutrankedFinding {

    enum Kind { SHARED_DIGEST, LIFECYCLE_EXPIRY, LIFECYCLE_OUTRANKED, RETAGGED, RETAG_REFUSED }

    enum Severity { INFO, WARNING, CRITICAL }

    Kind kind();

    Severity severity();

    RepositoryName repository();

    Tag tag();

    Digest imageDigest();
}
