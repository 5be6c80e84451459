package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.retag.Retagger;
import java.util.Objects;
import java.util.Optional;

/**
 * What a production push needs from outside the core: the repository to read, the channels to alert, and in
 * MODE=RETAG the re-tagger. Built on the first production push ({@link Guard} asks its supplier then), so the
 * function's other pushes never construct an SDK client; {@code app.GuardAssembly} builds the real ones.
 *
 * @param retagger present in MODE=RETAG: moves a release at risk to an image of its own
 * @param ledger   where each release's first-seen time is recorded and read back
 * @param risks    which releases were alerted about as expiring out of turn (the sweep's de-duplication, the
 *                 post-mortem's memory)
 */
public record GuardPorts(ImageCatalog catalog, AlertFanOut alerts, Optional<Retagger> retagger, ReleaseLedger ledger,
                         RiskRegister risks) {

    public GuardPorts {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(retagger, "retagger");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(risks, "risks");
    }

    /** Without a register of releases at risk. */
    public GuardPorts(ImageCatalog catalog, AlertFanOut alerts, Optional<Retagger> retagger, ReleaseLedger ledger) {
        this(catalog, alerts, retagger, ledger, RiskRegister.none());
    }

    /** Without a ledger. */
    public GuardPorts(ImageCatalog catalog, AlertFanOut alerts, Optional<Retagger> retagger) {
        this(catalog, alerts, retagger, ReleaseLedger.none());
    }

    /** MODE=ALERT without a ledger: report, change nothing. */
    public GuardPorts(ImageCatalog catalog, AlertFanOut alerts) {
        this(catalog, alerts, Optional.empty());
    }
}
