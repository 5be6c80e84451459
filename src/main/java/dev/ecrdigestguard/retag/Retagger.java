package dev.ecrdigestguard.retag;

import dev.ecrdigestguard.image.Blob;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.manifest.ContentSource;
import dev.ecrdigestguard.manifest.Rewrite.NotRewritable;
import dev.ecrdigestguard.manifest.Rewrite.Rewritten;
import dev.ecrdigestguard.manifest.Rewrite;
import dev.ecrdigestguard.registry.ImageRegistry;
import dev.ecrdigestguard.registry.ImmutableTagException;
import dev.ecrdigestguard.registry.RegistryContentSource;
import dev.ecrdigestguard.retag.RetagOutcome.NothingToDo;
import dev.ecrdigestguard.retag.RetagOutcome.Refused;
import dev.ecrdigestguard.retag.RetagOutcome.Retagged;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves a production tag that shares its digest with other production tags to an image with the same content and a
 * digest of its own, through the {@link ImageRegistry} port only.
 *
 * <p>Safety, in the order it is checked:
 * <ol>
 *   <li>only a production tag that shares its digest with another production tag is touched ({@link #rescue} also
 *       takes one that doesn't, for a release the lifecycle policy takes out of turn);</li>
 *   <li>a tag that no longer points where the push left it, or that already is our rewrite, is left alone: the
 *       push of our own rewrite raises an event for the same tag, and events can arrive twice;</li>
 *   <li>an immutable tag is refused without an attempt;</li>
 *   <li>a signed or attested image (OCI referrers, or cosign {@code sha256-<hex>.sig}/{@code .att} tags) is refused
 *       unless signed images are allowed: the new digest would carry no signature;</li>
 *   <li>a manifest the rewriter doesn't handle is refused with its reason.</li>
 * </ol>
 * The rewrite is deterministic, so a second run computes the same digest; everything it references is pushed before
 * the one call that moves the tag ({@code pushManifest} with the tag), so a failure half-way leaves the tag where it
 * was and a retry finishes the job. Registry failures propagate as {@code RegistryException}; an immutable tag
 * reported by the registry itself becomes {@link Refused}.
 */
public final class Retagger {

    private final ImageRegistry registry;
    private final ManifestRewriting rewriting;
    private final ProductionTags productionTags;
    private final boolean retagSignedImages;

    public Retagger(ImageRegistry registry, ManifestRewriting rewriting, ProductionTags productionTags,
                    boolean retagSignedImages) {
        this.registry = registry;
        this.rewriting = rewriting;
        this.productionTags = productionTags;
        this.retagSignedImages = retagSignedImages;
    }

    /**
     * @param pushedDigest the digest the push event reported for the tag; when present and the tag points elsewhere
     *                     now, the event is stale and nothing is done
     * @param dryRun       compute the new digest but write nothing
     */
    public RetagOutcome retag(RepositoryName repository, Tag tag, Optional<Digest> pushedDigest, boolean dryRun) {
        return retag(repository, tag, pushedDigest, dryRun, true);
    }

    /**
     * Gives a release the lifecycle policy is about to take out of turn a digest of its own, so it ranks as a new
     * image — even when no other production tag shares its digest (a release on an old digest under an age rule).
     * Every other safety rule holds: immutable tags and signed images are refused, our own rewrite is left alone, and
     * a tag that has moved from {@code expectedDigest} is not touched.
     */
    public RetagOutcome rescue(RepositoryName repository, Tag tag, Digest expectedDigest) {
        return retag(repository, tag, Optional.of(expectedDigest), false, false);
    }

    private RetagOutcome retag(RepositoryName repository, Tag tag, Optional<Digest> pushedDigest, boolean dryRun,
                               boolean onlyWhenShared) {
        if (!productionTags.isProduction(tag)) {
            return new NothingToDo(tag, Optional.empty(), tag + " is not a production tag (" + productionTags + ")");
        }
        Optional<Manifest> found = registry.fetchManifest(repository, tag.value());
        if (found.isEmpty()) {
            return new NothingToDo(tag, Optional.empty(), "tag " + tag + " does not exist in " + repository);
        }
        Manifest current = found.get();
        Optional<Digest> before = Optional.of(current.digest());
        if (pushedDigest.isPresent() && !pushedDigest.get().equals(current.digest())) {
            return new NothingToDo(tag, before, "tag " + tag + " has moved from " + pushedDigest.get().shortForm()
                    + " to " + current.digest().shortForm() + " since the push (a later push, or an earlier re-tag)");
        }
        ContentSource content = new RegistryContentSource(registry, repository);
        if (rewriting.carriesMarker(current, tag, content)) {
            return new NothingToDo(tag, before, "image " + current.digest().shortForm() + " already is this tool's "
                    + "rewrite for " + tag);
        }
        List<Tag> sharedWith = registry.tagsOf(repository, current.digest(),
                other -> !other.equals(tag) && productionTags.isProduction(other)).stream().sorted().toList();
        if (sharedWith.isEmpty() && onlyWhenShared) {
            return new NothingToDo(tag, before, "tag " + tag + " has a digest of its own");
        }
        if (registry.tagMutability(repository, tag) == ImageRegistry.TagMutability.IMMUTABLE) {
            return new Refused(tag, before, sharedWith, "tag " + tag + " is immutable in " + repository
                    + " (the repository's tag mutability setting and exclusion filters), so it can't be moved to "
                    + "another digest; re-tagging is impossible here");
        }
        if (!retagSignedImages) {
            Optional<String> signatures = signatures(repository, current.digest());
            if (signatures.isPresent()) {
                return new Refused(tag, before, sharedWith, "image " + current.digest().shortForm() + " is signed "
                        + "or attested (" + signatures.get() + "); a new digest would carry no signature, so it is "
                        + "not re-tagged unless signed images are allowed (RETAG_SIGNED_IMAGES=true, or "
                        + "--allow-signed), after which the new digest must be signed again");
            }
        }
        Rewrite result = rewriting.makeUnique(current, tag, content);
        if (result instanceof NotRewritable notRewritable) {
            return new Refused(tag, before, sharedWith, "the image can't be rewritten: " + notRewritable.reason());
        }
        Rewritten rewritten = (Rewritten) result;
        if (rewritten.manifest().digest().equals(current.digest())) {
            // A rewrite that changes nothing would "move" the tag onto itself and report success: never claim that.
            return new Refused(tag, before, sharedWith, "the rewrite did not change the digest");
        }
        Retagged retagged = new Retagged(tag, current.digest(), rewritten.manifest().digest(), sharedWith,
                rewritten.change(), dryRun);
        if (dryRun) {
            return retagged;
        }
        try {
            push(repository, tag, rewritten);
        } catch (ImmutableTagException e) {
            return new Refused(tag, before, sharedWith, "the registry refused to move tag " + tag + ": "
                    + e.getMessage());
        }
        return retagged;
    }

    /** Blobs, then children, then the tagged manifest: the tag moves last, and only when everything is in place. */
    private void push(RepositoryName repository, Tag tag, Rewritten rewritten) {
        for (Blob blob : rewritten.blobs()) {
            registry.pushBlob(repository, blob.digest(), blob.content());
        }
        for (Manifest child : rewritten.children()) {
            registry.pushManifest(repository, Optional.empty(), child);
        }
        registry.pushManifest(repository, Optional.of(tag), rewritten.manifest());
    }

    /** What signs or attests the image, in words, or empty when nothing does. */
    private Optional<String> signatures(RepositoryName repository, Digest digest) {
        List<String> found = new ArrayList<>();
        List<Digest> referrers = registry.referrers(repository, digest);
        if (!referrers.isEmpty()) {
            found.add(referrers.size() + (referrers.size() == 1 ? " OCI referrer" : " OCI referrers"));
        }
        for (String suffix : List.of(".sig", ".att")) {
            Tag cosign = Tag.of("sha256-" + digest.hex() + suffix);
            if (registry.fetchManifest(repository, cosign.value()).isPresent()) {
                found.add("cosign tag " + cosign);
            }
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", found));
    }
}
