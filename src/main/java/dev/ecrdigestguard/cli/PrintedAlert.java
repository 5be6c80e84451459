package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.alert.sns.SnsAlert;
import dev.ecrdigestguard.alert.sns.SnsAlertRenderer;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.image.ProductionTags;
import java.util.Optional;

/**
 * The command line's own alert channel: it renders the SNS message the function would publish and keeps it, so
 * {@code check} prints exactly what subscribers would get. It sits in the guard's fan-out beside the real channels
 * (which {@code --publish} adds), so the command sees the same alerting path as the function.
 */
final class PrintedAlert implements Notifier {

    static final String CHANNEL = "output";

    private final SnsAlertRenderer renderer;
    private SnsAlert alert;

    /** {@code productionTags}: the patterns the alert's commands pass on, as the function's would. */
    PrintedAlert(ProductionTags productionTags) {
        this.renderer = new SnsAlertRenderer(productionTags);
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public void send(GuardReport report) {
        alert = renderer.render(report);
    }

    /** The rendered alert, once the guard has sent one. */
    Optional<SnsAlert> alert() {
        return Optional.ofNullable(alert);
    }
}
