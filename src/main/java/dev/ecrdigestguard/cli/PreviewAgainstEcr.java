package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.ecr.LifecyclePolicyPreviewer;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.JsonText;
import dev.ecrdigestguard.lifecycle.ImageDecision;
import dev.ecrdigestguard.lifecycle.LifecycleEvaluation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * {@code preview --repository R --against-ecr}: this simulation and ECR's own lifecycle policy preview of the same
 * policy on the same repository, image by image. Every image where the two disagree — one expires or archives it and
 * the other keeps it, or they act differently or by different rules — is listed. It is the user's proof that the
 * guard's findings match what ECR will do on their repository, and the alarm when ECR's rules change.
 *
 * @param imagesCompared images this simulation read
 * @param ecrActsOn      images ECR's preview expires or archives
 * @param differences    every image where the answers differ, in the order of the images read
 */
record PreviewAgainstEcr(RepositoryName repository, int imagesCompared, int ecrActsOn, List<Difference> differences) {

    /** One image on which the two answers differ; an answer is "KEEP", or an action and the rule that applied. */
    record Difference(Digest digest, List<String> tags, String ours, String ecr) {
        Difference {
            Objects.requireNonNull(digest, "digest");
            tags = List.copyOf(tags);
            Objects.requireNonNull(ours, "ours");
            Objects.requireNonNull(ecr, "ecr");
        }
    }

    PreviewAgainstEcr {
        differences = List.copyOf(differences);
    }

    static PreviewAgainstEcr compare(RepositoryName repository, LifecycleEvaluation ours,
                                     List<LifecyclePolicyPreviewer.Result> ecr) {
        Map<Digest, LifecyclePolicyPreviewer.Result> byDigest = new LinkedHashMap<>();
        ecr.forEach(result -> byDigest.put(result.digest(), result));
        List<Difference> differences = new ArrayList<>();
        for (ImageDecision decision : ours.decisions()) {
            LifecyclePolicyPreviewer.Result theirs = byDigest.remove(decision.digest());
            String ourAnswer = decision.action() == ImageDecision.Action.KEEP ? "KEEP"
                    : answer(decision.action().name(), decision.rulePriority());
            String ecrAnswer = theirs == null ? "KEEP" : answer(theirs.action().name(), theirs.rulePriority());
            if (!ourAnswer.equals(ecrAnswer)) {
                differences.add(new Difference(decision.digest(), tags(decision.image()), ourAnswer, ecrAnswer));
            }
        }
        // Images ECR acted on that this simulation never read (pushed between the two reads, say).
        byDigest.values().forEach(theirs -> differences.add(new Difference(theirs.digest(), theirs.tags(),
                "not read", answer(theirs.action().name(), theirs.rulePriority()))));
        return new PreviewAgainstEcr(repository, ours.decisions().size(), ecr.size(), differences);
    }

    boolean agree() {
        return differences.isEmpty();
    }

    void writeText(PrintWriter out) {
        if (agree()) {
            out.printf("ECR's preview and this simulation agree on all %d images of %s (ECR acts on %d).%n",
                    imagesCompared, repository, ecrActsOn);
            return;
        }
        out.printf("%-20s %-22s %-22s %s%n", "IMAGE", "THIS SIMULATION", "ECR'S PREVIEW", "TAGS");
        for (Difference difference : differences) {
            out.printf("%-20s %-22s %-22s %s%n", difference.digest().shortForm(), difference.ours(),
                    difference.ecr(), difference.tags().isEmpty() ? "<untagged>" : String.join(",", difference.tags()));
        }
        out.printf("%d of %d images of %s differ between ECR's preview and this simulation (ECR acts on %d).%n",
                differences.size(), imagesCompared, repository, ecrActsOn);
    }

    void writeJson(PrintWriter out) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("repository", repository.value());
        root.put("imagesCompared", imagesCompared);
        root.put("ecrActsOn", ecrActsOn);
        root.put("agree", agree());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Difference difference : differences) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("imageDigest", difference.digest().value());
            entry.put("imageTags", difference.tags());
            entry.put("ours", difference.ours());
            entry.put("ecr", difference.ecr());
            list.add(entry);
        }
        root.put("differences", list);
        out.println(JsonText.writePretty(root));
    }

    private static String answer(String action, OptionalInt rule) {
        return action + (rule.isPresent() ? " (rule " + rule.getAsInt() + ")" : "");
    }

    private static List<String> tags(ImageRecord image) {
        return image.tags().stream().map(Tag::value).toList();
    }
}
