package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Digest;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The outcome of {@link LifecycleEngine#evaluate}: one decision per image, in the order the images were given. */
public final class LifecycleEvaluation {

    private final List<ImageDecision> decisions;
    private Map<Digest, ImageDecision> byDigest;

    /** Takes ownership of the array: the engine builds it and never touches it again. */
    LifecycleEvaluation(ImageDecision[] decisions) {
        this.decisions = Collections.unmodifiableList(Arrays.asList(decisions));
    }

    public List<ImageDecision> decisions() {
        return decisions;
    }

    public List<ImageDecision> withAction(ImageDecision.Action action) {
        return decisions.stream().filter(decision -> decision.action() == action).toList();
    }

    public List<Digest> digestsWithAction(ImageDecision.Action action) {
        return withAction(action).stream().map(ImageDecision::digest).toList();
    }

    public Optional<ImageDecision> decisionFor(Digest digest) {
        if (byDigest == null) {
            Map<Digest, ImageDecision> index = new HashMap<>();
            decisions.forEach(decision -> index.putIfAbsent(decision.digest(), decision));
            byDigest = index;
        }
        return Optional.ofNullable(byDigest.get(digest));
    }
}
