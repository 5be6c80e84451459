package dev.ecrdigestguard.testing;

import software.amazon.awssdk.services.ecr.EcrClient;

/** Images pushed to a local ECR (moto) as a build would push them, for the end-to-end tests. */
public final class LocalImages {

    private LocalImages() {
    }

    /** An OCI image manifest whose one layer is {@code layer} repeated: moto derives a distinct digest from each. */
    public static String manifest(String layer) {
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + "c".repeat(64)
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"sha256:" + layer.repeat(64) + "\",\"size\":32}]}";
    }

    /** Pushes {@code manifest} as {@code tag} and returns the digest ECR gave it. */
    public static String push(EcrClient ecr, String repository, String manifest, String tag) {
        return ecr.putImage(r -> r.repositoryName(repository).imageManifest(manifest).imageTag(tag)
                .imageManifestMediaType("application/vnd.oci.image.manifest.v1+json")).image().imageId().imageDigest();
    }
}
