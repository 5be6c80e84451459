package dev.ecrdigestguard.guard;

import java.util.List;
import java.util.Optional;

/**
 * Which releases the guard has alerted about as expiring out of turn (port), and when it last said so. It keeps the
 * sweep from alerting the same release every six hours (once when found, a reminder a day later, a notice when the risk
 * is gone), and it lets the post-mortem name the rule when such a release is deleted. The function keeps it in the
 * ledger's DynamoDB table. Failures are {@code ServiceFailure}s.
 *
 * <p>Writes are conditional on what the caller read, so two invocations judging the same repository (a retried event,
 * two overlapping sweeps) never both alert: the one whose write fails stays quiet.
 */
public interface RiskRegister {

    /** Every release recorded at risk in the repository, one per image and rule. */
    List<RiskRecord> atRisk(RepositoryLocation repository);

    /**
     * Records {@code record} (keyed by {@link RiskRecord#key()}) if the register still holds {@code expected} for it —
     * nothing, when {@code expected} is empty, or a record alerted at {@code expected.lastAlertedAt()}.
     *
     * @return false when another invocation changed it first (and so has alerted, or will)
     */
    boolean claim(RepositoryLocation repository, Optional<RiskRecord> expected, RiskRecord record);

    /**
     * Removes the record if it is still {@code expected} (alerted at the same time).
     *
     * @return false when another invocation changed or removed it first
     */
    boolean forget(RepositoryLocation repository, RiskRecord expected);

    /**
     * Records {@code record} as alerted whatever the register held (keeping the earliest time it was found): the push
     * path, which alerts on every production push.
     */
    void remember(RepositoryLocation repository, RiskRecord record);

    /** No register: nothing remembered, so the sweep alerts on every run and the post-mortem never knows. */
    static RiskRegister none() {
        return new RiskRegister() {
            @Override
            public List<RiskRecord> atRisk(RepositoryLocation repository) {
                return List.of();
            }

            @Override
            public boolean claim(RepositoryLocation repository, Optional<RiskRecord> expected, RiskRecord record) {
                return true;
            }

            @Override
            public boolean forget(RepositoryLocation repository, RiskRecord expected) {
                return true;
            }

            @Override
            public void remember(RepositoryLocation repository, RiskRecord record) {
            }
        };
    }
}
