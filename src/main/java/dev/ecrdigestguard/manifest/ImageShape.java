package dev.ecrdigestguard.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Tells a runnable container image from other things stored as image manifests (Helm charts, signatures, SBOMs,
 * attestations, WASM modules...). Re-tagging an artifact would change what signs or describes what, so only plain
 * images pass: the expected config type, no {@code artifactType}, no {@code subject}, file-system layers only.
 */
final class ImageShape {

    private ImageShape() {
    }

    static void requireImage(ObjectNode manifest, String expectedConfigType, String kind) {
        String artifactType = ManifestJson.text(manifest, "artifactType");
        if (artifactType != null) {
            throw new NotRewritableException("the " + kind + " is an OCI artifact of type " + artifactType
                    + ", not a container image");
        }
        if (manifest.has("subject")) {
            throw new NotRewritableException("the " + kind + " has a subject: it signs, attests or describes "
                    + ManifestJson.text(manifest.get("subject"), "digest") + " and is not a container image itself");
        }
        String configType = ManifestJson.text(manifest.get("config"), "mediaType");
        if (!expectedConfigType.equals(configType)) {
            throw new NotRewritableException("the " + kind + " has a config of type " + configType
                    + " (expected " + expectedConfigType + "): an artifact such as a Helm chart, not a container image");
        }
        JsonNode layers = manifest.get("layers");
        if (layers != null && !layers.isArray()) {
            throw new NotRewritableException("the " + kind + " has a 'layers' field that is not a list");
        }
        if (layers != null) {
            for (JsonNode layer : layers) {
                String layerType = ManifestJson.text(layer, "mediaType");
                if (layerType == null || !MediaTypes.IMAGE_LAYERS.contains(layerType)) {
                    throw new NotRewritableException("the " + kind + " has a layer of type " + layerType
                            + ", not a container file system: a signature, attestation, SBOM or other artifact");
                }
            }
        }
    }
}
