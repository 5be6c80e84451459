package dev.ecrdigestguard.cli;

/** Connects the live commands to ECR. Wired to the ECR adapters once they are on the branch. */
final class LiveEcr {

    private LiveEcr() {
    }

    static AuditCommand.LiveRegistry connect() {
        throw new IllegalStateException("live ECR access is not wired yet; use --snapshot");
    }
}
