package dev.ecrdigestguard.finding;

import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A production tag was pushed in a member account the guard cannot read: assuming the member role there was refused
 * (the member stack is missing, its trust policy doesn't name the guard's role, or the guard's own policy doesn't
 * allow the role). The release was not checked, and no push of that account will be until the setup is fixed — so
 * this is about the guard itself, and it is raised rather than left to a failed invocation nobody reads.
 *
 * @param registry       the account and region the push came from
 * @param roleArn        the role the guard tried to assume
 * @param reason         what STS answered, in a sentence
 * @param productionTags the guard's production tag patterns, for the catch-up command
 */
public record AccountUnreachableFinding(
        RepositoryName repository,
        Tag tag,
        Digest imageDigest,
        AccountRegion registry,
        String roleArn,
        String reason,
        ProductionTags productionTags) implements Finding {

    public AccountUnreachableFinding {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(imageDigest);
        Objects.requireNonNull(registry);
        Objects.requireNonNull(roleArn);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(productionTags);
    }

    @Override
    public Kind kind() {
        return Kind.ACCOUNT_UNREACHABLE;
    }

    /** The guard is blind in a whole account: every release there goes unchecked until someone acts. */
    @Override
    public Severity severity() {
        return Severity.CRITICAL;
    }

    @Override
    public String title() {
        return "the guard cannot read account " + registry.account() + ": " + tag + " in " + repository
                + " was not checked";
    }

    @Override
    public String explanation() {
        return "The production tag " + tag + " was pushed to " + repository + " (" + registry.describe()
                + ", digest " + imageDigest.shortForm() + "), but ecr-digest-guard could not assume " + roleArn
                + " to read the repository: " + reason + ". The release was not checked for shared digests or "
                + "lifecycle expiry, and no push in this account will be until the guard's setup is fixed.";
    }

    @Override
    public List<NextStep> nextSteps() {
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        return List.of(
                new NextStep.Advice("Deploy the member stack (member-template.yaml, usually through the StackSet) to"
                        + " account " + registry.account() + ": it creates the role " + roleName + " that the guard"
                        + " assumes."),
                new NextStep.Advice("If the role exists, check that its trust policy names the guard's function role"
                        + " and organization (with credentials of account " + registry.account() + ": aws iam get-role"
                        + " --role-name " + roleName + " --query Role.AssumeRolePolicyDocument), and that the central"
                        + " stack's OrganizationId is this account's organization."),
                new NextStep.Advice("Then check the account's releases (with credentials of account "
                        + registry.account() + "): java -jar ecr-digest-guard.jar audit --region " + registry.region()
                        + " --repository " + repository + " --production-tags '" + productionTags + "'"));
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = Finding.identity(this);
        details.put("account", registry.account());
        details.put("region", registry.region());
        details.put("roleArn", roleArn);
        details.put("reason", reason);
        details.put("severity", severity().name());
        return details;
    }
}
