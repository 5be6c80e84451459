package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.image.AccountRegion;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which ports serve a push, chosen by the registry (account and region) its repository lives in: a guard for a whole
 * organization reads each account with that account's credentials and each region with a client for that region,
 * while every alert goes to the same channels. {@code app.GuardAssembly} builds the real one; a single-account
 * deployment uses {@link #sameForEvery} and never looks at the account.
 *
 * <p>The same seam serves anything that fans out over registries (an organization-wide audit or sweep): ask for the
 * ports of each account and region in turn.
 */
public interface PortsByRegistry {

    /**
     * The ports for the repositories of {@code registry}. Implementations cache what is costly (credentials,
     * SDK clients), so asking on every push is cheap.
     *
     * @throws AccountAccessException when the registry's account can't be reached (retryable or not)
     */
    GuardPorts forRegistry(AccountRegion registry);

    /**
     * The ports for a push: those of its registry. A push whose account or region is not known (a recording, or a
     * command-line check that didn't learn its account) can only be judged by a guard that doesn't tell registries
     * apart, which is what {@link #sameForEvery} does.
     */
    default GuardPorts forPush(PushEvent push) {
        return forRegistry(push.registry());
    }

    /** The alert channels, the same for every registry: an alert about an unreachable account goes there too. */
    AlertFanOut alerts();

    /** The release ledger, one for every registry (it keys releases by account, region and repository). */
    default ReleaseLedger ledger() {
        return ReleaseLedger.none();
    }

    /** The register of releases alerted about as at risk, one for every registry. */
    default RiskRegister risks() {
        return RiskRegister.none();
    }

    /** Builds what needs no call to AWS, ahead of the first push (SnapStart wants it in the snapshot). */
    default void prepare() {
    }

    /** One set of ports for every registry, built on first use and kept: the single-account guard. */
    static PortsByRegistry sameForEvery(Supplier<GuardPorts> ports) {
        Objects.requireNonNull(ports, "ports");
        return new PortsByRegistry() {
            private volatile GuardPorts built;

            private GuardPorts ports() {
                GuardPorts current = built;
                if (current == null) {
                    synchronized (this) {
                        current = built;
                        if (current == null) {
                            current = ports.get();
                            built = current;
                        }
                    }
                }
                return current;
            }

            @Override
            public GuardPorts forRegistry(AccountRegion registry) {
                return ports();
            }

            @Override
            public GuardPorts forPush(PushEvent push) {
                return ports();
            }

            @Override
            public AlertFanOut alerts() {
                return ports().alerts();
            }

            @Override
            public ReleaseLedger ledger() {
                return ports().ledger();
            }

            @Override
            public RiskRegister risks() {
                return ports().risks();
            }

            @Override
            public void prepare() {
                ports();
            }
        };
    }
}
