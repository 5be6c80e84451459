package dev.ecrdigestguard.lambda;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.event.EcrEventReader;
import dev.ecrdigestguard.guard.Guard;
import dev.ecrdigestguard.guard.GuardPorts;
import dev.ecrdigestguard.guard.GuardResponse;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart priming: before Lambda takes the snapshot, build the function's ports (the SDK clients, which make no
 * request when built) and run one push through the whole alert path — event reading, the {@link Guard} and its
 * production-push response, the ECR adapter, detection, the lifecycle evaluation, alert rendering, the fan-out and the
 * SNS adapter — against {@link OfflineAws}, whose HTTP client answers from memory. A function restored from the
 * snapshot then starts with all of that loaded and initialised. Nothing is sent to AWS.
 *
 * <p>Registered only when Lambda initialises for a snapshot ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}), so
 * an on-demand cold start does not pay for it.
 */
final class SnapStartPriming implements Resource {

    /** A push of a tag that shares its digest with another release: the path that ends in an alert. */
    private static final String SAMPLE_PUSH = """
            {"version":"0","id":"00000000-0000-4000-8000-000000000000","detail-type":"ECR Image Action",
             "source":"aws.ecr","account":"123456789012","time":"2022-12-22T09:41:12Z","region":"eu-west-1",
             "resources":[],"detail":{"result":"SUCCESS","repository-name":"priming",
             "image-digest":"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c",
             "action-type":"PUSH","image-tag":"release-1",
             "manifest-media-type":"application/vnd.oci.image.manifest.v1+json"}}""";

    private final Guard function;

    SnapStartPriming(Guard function) {
        this.function = function;
    }

    /** {@code AWS_LAMBDA_INITIALIZATION_TYPE} when Lambda initialises a function version for its snapshot. */
    static final String SNAPSHOT_INITIALIZATION = "snap-start";

    /** Registers with the runtime's checkpoint coordination; call it only when initialising for a snapshot. */
    static SnapStartPriming register(Guard function) {
        SnapStartPriming priming = new SnapStartPriming(function);
        org.crac.Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: the SDK resolves credentials per request and the HTTP client opens connections lazily.
    }

    /** Runs the alert path once, offline; returns the response so tests can see it went all the way. */
    GuardResponse prime() {
        function.preparePorts();
        GuardConfig priming = new GuardConfig(ProductionTags.parse("release-*"), Optional.empty(),
                GuardConfig.Mode.ALERT, GuardConfig.LogLevel.INFO);
        Guard offline = new Guard(priming, () -> new GuardPorts(OfflineAws.imageCatalog(),
                new AlertFanOut(List.of(OfflineAws.snsNotifier(priming.productionTags())))));
        GuardResponse response = offline.respond(
                EcrEventReader.read(new ByteArrayInputStream(SAMPLE_PUSH.getBytes(StandardCharsets.UTF_8))),
                new GuardMetrics(), Instant.now().plusSeconds(30));
        Log.info("primed for SnapStart", "outcome", response.outcome().name());
        Log.clearContext();
        return response;
    }
}
