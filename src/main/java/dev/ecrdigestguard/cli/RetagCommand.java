package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.ecr.EcrRegistryClient;
import dev.ecrdigestguard.finding.Wording;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.JsonText;
import dev.ecrdigestguard.oci.OciRegistryClient;
import dev.ecrdigestguard.oci.RegistryCredentials;
import dev.ecrdigestguard.registry.ImageRegistry;
import dev.ecrdigestguard.retag.ManifestRewriting;
import dev.ecrdigestguard.retag.RetagOutcome;
import dev.ecrdigestguard.retag.Retagger;
import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code retag}: gives a production tag that shares its digest an image of its own, as MODE=RETAG does. */
@Command(name = "retag",
        mixinStandardHelpOptions = true,
        description = {
            "Moves a production tag that shares its digest with another production tag to an image with the same "
                    + "content and a digest of its own (one added label or annotation naming the tag).",
            "Refuses, and changes nothing, when the tag is immutable, the image is signed or attested (unless "
                    + "--allow-signed), or the manifest type isn't a container image it can rewrite.",
            "Without --registry it works on ECR with the default credential chain; with --registry on any "
                    + "registry that speaks the OCI Distribution API."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the tag has a digest of its own (re-tagged now, or nothing to do)",
            "1:the tag still shares its digest (re-tag refused, or --dry-run found one to do)",
            "2:bad input or usage",
            "3:a registry or AWS call failed (nothing moved; running again finishes the job)"})
public final class RetagCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--repository", required = true, paramLabel = "NAME", description = "Repository, e.g. team/app.")
    String repository;

    @Option(names = "--tag", required = true, paramLabel = "TAG", description = "The production tag to re-tag.")
    String tag;

    @Option(names = "--registry", paramLabel = "URL",
            description = "An OCI Distribution registry, http(s)://host:port. Default: ECR.")
    URI registryUrl;

    @Option(names = "--registry-user", paramLabel = "USER", defaultValue = "${env:REGISTRY_USERNAME}",
            description = "User for --registry (basic auth, or for the registry's token service). "
                    + "Default: $REGISTRY_USERNAME; anonymous when unset.")
    String registryUser;

    /** From the environment only: a password on the command line would show in the process list. */
    @Option(names = "--registry-password", paramLabel = "PASSWORD", defaultValue = "${env:REGISTRY_PASSWORD}",
            hidden = true)
    String registryPassword;

    @Mixin
    ProductionTagsOption productionTags;

    @Option(names = "--dry-run", description = "Compute the new digest and report it; write nothing.")
    boolean dryRun;

    @Option(names = "--allow-signed",
            description = "Re-tag signed or attested images too (the new digest is unsigned). "
                    + "Default: $RETAG_SIGNED_IMAGES, else false.")
    Boolean allowSigned;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    /** The registry to work on: ECR when no URL is given. Replaced in tests. */
    Function<Optional<URI>, ImageRegistry> registries = this::registry;

    /** The rewriter. Replaced in tests. */
    ManifestRewriting rewriting = ManifestRewriting.standard();

    @Override
    public Integer call() {
        RepositoryName repositoryName = parse("--repository", () -> RepositoryName.of(repository));
        Tag tagName = parse("--tag", () -> Tag.of(tag));
        ProductionTags patterns = productionTags.required();
        Retagger retagger = new Retagger(registries.apply(Optional.ofNullable(registryUrl)), rewriting, patterns,
                allowSigned());
        RetagOutcome outcome = retagger.retag(repositoryName, tagName, Optional.empty(), dryRun);
        print(repositoryName, outcome);
        if (outcome instanceof RetagOutcome.Refused) {
            return Main.FINDINGS;
        }
        if (outcome instanceof RetagOutcome.Retagged retagged && retagged.dryRun()) {
            return Main.FINDINGS;
        }
        return Main.OK;
    }

    private ImageRegistry registry(Optional<URI> url) {
        if (url.isEmpty()) {
            return EcrRegistryClient.create(AwsClients.newEcrClient());
        }
        RegistryCredentials credentials = registryUser == null || registryUser.isBlank()
                ? RegistryCredentials.anonymous()
                : parse("--registry-user", () -> RegistryCredentials.basic(registryUser,
                        registryPassword == null ? "" : registryPassword));
        return parse("--registry", () -> OciRegistryClient.create(url.get(), credentials));
    }

    private boolean allowSigned() {
        if (allowSigned != null) {
            return allowSigned;
        }
        String value = System.getenv(GuardConfig.RETAG_SIGNED_IMAGES);
        if (value == null || value.isBlank()) {
            return false;
        }
        String normalised = value.trim().toLowerCase(Locale.ROOT);
        if (!normalised.equals("true") && !normalised.equals("false")) {
            throw new IllegalArgumentException(GuardConfig.RETAG_SIGNED_IMAGES + " is '" + value
                    + "'; expected true or false");
        }
        return Boolean.parseBoolean(normalised);
    }

    private static <T> T parse(String option, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private void print(RepositoryName repositoryName, RetagOutcome outcome) {
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            out.println(JsonText.writePretty(json(outcome)));
            return;
        }
        String image = repositoryName + ":" + outcome.tag();
        if (outcome instanceof RetagOutcome.Retagged retagged) {
            out.println((retagged.dryRun() ? "Would re-tag " : "Re-tagged ") + image + " from "
                    + retagged.fromDigest() + " to " + retagged.toDigest() + ".");
            out.println("It shared its digest with " + Wording.listOf(retagged.sharedWith(), 10)
                    + ", which stay where they are.");
            out.println("Changed: " + retagged.whatChanged() + "; layers and everything else are unchanged.");
            out.println("Scan results and signatures belong to " + retagged.fromDigest().shortForm()
                    + " and don't cover the new digest.");
        } else if (outcome instanceof RetagOutcome.Refused refused) {
            out.println("Refused to re-tag " + image + ": " + refused.reason() + ".");
            out.println("Nothing was changed.");
        } else {
            out.println("Nothing to do for " + image + ": " + ((RetagOutcome.NothingToDo) outcome).reason() + ".");
        }
    }

    static Map<String, Object> json(RetagOutcome outcome) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("action", outcome instanceof RetagOutcome.Retagged ? "RETAG"
                : outcome instanceof RetagOutcome.Refused ? "REFUSED" : "NONE");
        root.put("tag", outcome.tag().value());
        root.put("fromDigest", outcome.digestBefore().map(Object::toString).orElse(null));
        if (outcome instanceof RetagOutcome.Retagged retagged) {
            root.put("toDigest", retagged.toDigest().value());
            root.put("reason", "shared its digest with " + Wording.listOf(retagged.sharedWith(), 10) + "; "
                    + retagged.whatChanged());
            root.put("dryRun", retagged.dryRun());
        } else {
            root.put("toDigest", null);
            root.put("reason", outcome instanceof RetagOutcome.Refused refused ? refused.reason()
                    : ((RetagOutcome.NothingToDo) outcome).reason());
            root.put("dryRun", false);
        }
        return root;
    }
}
