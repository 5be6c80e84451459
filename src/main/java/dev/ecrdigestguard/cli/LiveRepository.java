package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.ecr.LifecyclePolicyPreviewer;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.lifecycle.LifecycleEvaluation;
import dev.ecrdigestguard.lifecycle.LifecyclePolicy;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyParser;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * {@code preview --repository R}: the repository's images ({@code DescribeImages}, every page) and lifecycle policy
 * ({@code GetLifecyclePolicy}) read from ECR with the run's region and credentials, and with {@code --against-ecr}
 * ECR's own preview of that same policy text.
 */
final class LiveRepository {

    private final RepositoryName repository;
    private final String policyText;
    private final LifecyclePolicy policy;
    private final List<ImageRecord> images;

    private LiveRepository(RepositoryName repository, String policyText, List<ImageRecord> images) {
        this.repository = repository;
        this.policyText = policyText;
        this.policy = LifecyclePolicyParser.parse(policyText);
        this.images = images;
    }

    static LiveRepository read(RepositoryName repository) {
        try (EcrClient ecr = AwsClients.newEcrClient()) {
            EcrImageCatalog catalog = new EcrImageCatalog(ecr);
            String policyText = catalog.lifecyclePolicyText(repository).orElseThrow(() -> new IllegalArgumentException(
                    "repository " + repository + " has no lifecycle policy: nothing to preview (set one with aws ecr"
                            + " put-lifecycle-policy, or preview a policy file with --images and --policy)"));
            List<ImageRecord> images = new ArrayList<>();
            catalog.forEachImage(repository, images::add);
            return new LiveRepository(repository, policyText, images);
        }
    }

    LifecyclePolicy policy() {
        return policy;
    }

    List<ImageRecord> images() {
        return images;
    }

    /** Runs ECR's preview of the policy read, prints where it and {@code ours} differ; 0 when they agree, else 1. */
    int compareWithEcr(LifecycleEvaluation ours, Duration timeout, PrintWriter out, OutputFormat format) {
        List<LifecyclePolicyPreviewer.Result> ecrs;
        try (EcrClient ecr = AwsClients.newEcrClient()) {
            ecrs = LifecyclePolicyPreviewer.create(ecr).preview(repository, policyText, timeout);
        }
        PreviewAgainstEcr comparison = PreviewAgainstEcr.compare(repository, ours, ecrs);
        if (format == OutputFormat.json) {
            comparison.writeJson(out);
        } else {
            comparison.writeText(out);
        }
        out.flush();
        return comparison.agree() ? Main.OK : Main.FINDINGS;
    }
}
