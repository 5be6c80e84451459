package dev.ecrdigestguard.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.Tag;
import java.util.Objects;

/**
 * Gives an image a digest of its own without changing what runs: one marker naming the tag is added where each
 * media type's spec allows it, and nothing else changes (unknown fields and key order included).
 *
 * <ul>
 *   <li>OCI image manifest and OCI image index: annotation {@value #MARKER_KEY} = tag at the top level;</li>
 *   <li>Docker v2 schema 2: label {@value #MARKER_KEY} = tag in the config's {@code config.Labels}, a new config
 *       blob and a manifest pointing at it;</li>
 *   <li>Docker manifest list: every platform image rebuilt as above, and a list pointing at the rebuilt images;</li>
 *   <li>anything else (artifacts, signatures, attestations, schema 1, unknown types): {@link Rewrite.NotRewritable}.</li>
 * </ul>
 *
 * <p>The output is a function of the input and the tag only, so rewriting the same image twice for the same tag
 * gives the same digest: a duplicated event can't create a second image.
 */
public final class ManifestRewriter {

    /** The annotation or label key that marks a rewrite; its value is the tag the image was rewritten for. */
    public static final String MARKER_KEY = RetagMarker.KEY;

    private ManifestRewriter() {
    }

    /** A rewrite of {@code manifest} whose digest differs from it and from that of any other tag's rewrite. */
    public static Rewrite makeUnique(Manifest manifest, Tag tag, ContentSource source) {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(source, "source");
        try {
            ObjectNode root = ManifestJson.parseObject(manifest.bytes(), "the manifest");
            return switch (mediaType(manifest, root)) {
                case MediaTypes.OCI_MANIFEST -> OciManifestRewrite.apply(root, tag);
                case MediaTypes.OCI_INDEX -> OciIndexRewrite.apply(root, tag);
                case MediaTypes.DOCKER_MANIFEST -> DockerManifestRewrite.apply(root, tag, source);
                case MediaTypes.DOCKER_MANIFEST_LIST -> DockerManifestListRewrite.apply(root, tag, source);
                default -> throw new NotRewritableException("manifests of type " + mediaType(manifest, root)
                        + " are not container images this tool can rewrite");
            };
        } catch (NotRewritableException e) {
            return new Rewrite.NotRewritable(e.getMessage());
        }
    }

    /**
     * Whether {@code manifest} is already a rewrite for {@code tag}: the guard's own push raises a new event for the
     * tag, and this is how it knows to leave it alone. For a Docker manifest list, every platform image must carry
     * the label.
     */
    public static boolean carriesMarker(Manifest manifest, Tag tag, ContentSource source) {
        try {
            ObjectNode root = ManifestJson.parseObject(manifest.bytes(), "the manifest");
            return switch (mediaType(manifest, root)) {
                case MediaTypes.OCI_MANIFEST -> OciManifestRewrite.carriesMarker(root, tag);
                case MediaTypes.OCI_INDEX -> OciIndexRewrite.carriesMarker(root, tag);
                case MediaTypes.DOCKER_MANIFEST -> DockerManifestRewrite.carriesMarker(root, tag, source);
                case MediaTypes.DOCKER_MANIFEST_LIST -> DockerManifestListRewrite.carriesMarker(root, tag, source);
                default -> false;
            };
        } catch (NotRewritableException e) {
            return false;
        }
    }

    /**
     * The type the manifest declares, else the one it was served with (OCI manifests may omit {@code mediaType}).
     * A manifest served as one type but declaring another is refused: which spec would the registry check it against?
     */
    private static String mediaType(Manifest manifest, ObjectNode root) {
        String served = manifest.mediaType().split(";", 2)[0].trim();
        String declared = ManifestJson.text(root, "mediaType");
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion != null && schemaVersion.asInt() == 1
                || MediaTypes.DOCKER_SCHEMA1.equals(served) || MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(served)) {
            throw new NotRewritableException("Docker schema 1 manifests are deprecated and carry a signature over"
                    + " their content; push the image again with a current client");
        }
        if (declared != null && MediaTypes.ACCEPTED_MANIFESTS.contains(served) && !declared.equals(served)) {
            throw new NotRewritableException("the manifest is served as " + served + " but declares " + declared);
        }
        return declared != null ? declared : served;
    }
}
