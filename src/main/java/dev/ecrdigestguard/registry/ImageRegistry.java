package dev.ecrdigestguard.registry;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The registry operations re-tagging needs, independent of how a registry is reached (the ECR API, or the OCI
 * Distribution API of any other registry). Adapters translate transport failures into {@link RegistryException}
 * and keep the cause.
 *
 * <p>Contract shared by every adapter:
 * <ul>
 *   <li>"not found" is {@link Optional#empty()}, never an exception;</li>
 *   <li>bytes are returned and sent exactly as the registry stores them: a manifest's digest is the sha256 of
 *       {@link Manifest#bytes()};</li>
 *   <li>pushing something that already exists (same blob, same manifest under the same tag) is success.</li>
 * </ul>
 */
public interface ImageRegistry {

    /** The manifest a tag or digest points to, with the media type the registry reports for it. */
    Optional<Manifest> fetchManifest(RepositoryName repository, String reference);

    /** A blob's content, verified against its digest; empty when the registry doesn't have it. */
    Optional<byte[]> fetchBlob(RepositoryName repository, Digest digest);

    /** Uploads a blob whose digest is {@code digest}; a blob the registry already holds is success. */
    void pushBlob(RepositoryName repository, Digest digest, byte[] content);

    /**
     * Stores a manifest and, when {@code tag} is present, points the tag at it. A manifest pushed without a tag
     * (a child of a manifest list) is addressed by its digest.
     *
     * @throws ImmutableTagException when the registry refuses to move an immutable tag
     */
    PushOutcome pushManifest(RepositoryName repository, Optional<Tag> tag, Manifest manifest);

    /** Every tag in the repository. */
    List<Tag> listTags(RepositoryName repository);

    /**
     * The tags among those {@code wanted} accepts that point at {@code digest}. This default resolves each candidate
     * tag (one manifest request per tag); adapters with a reverse index (ECR's {@code DescribeImages}) override it
     * with one call.
     */
    default List<Tag> tagsOf(RepositoryName repository, Digest digest, Predicate<Tag> wanted) {
        List<Tag> found = new ArrayList<>();
        for (Tag tag : listTags(repository)) {
            if (wanted.test(tag) && fetchManifest(repository, tag.value())
                    .map(manifest -> manifest.digest().equals(digest)).orElse(false)) {
                found.add(tag);
            }
        }
        return found;
    }

    /** Digests of manifests whose {@code subject} is {@code digest} (signatures, attestations, SBOMs). */
    List<Digest> referrers(RepositoryName repository, Digest digest);

    /** Whether {@code tag} may be moved to another digest in this repository. */
    TagMutability tagMutability(RepositoryName repository, Tag tag);

    enum PushOutcome { CREATED, ALREADY_EXISTED }

    enum TagMutability { MUTABLE, IMMUTABLE }
}
