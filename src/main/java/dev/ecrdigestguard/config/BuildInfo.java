package dev.ecrdigestguard.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * What this build is: its version, the commit it was built from and the project's home page, as Maven wrote them
 * into {@code build.properties} when the jar was built. The command line prints them for {@code --version}; alerts
 * link to the runbook of exactly this version.
 *
 * @param commit empty when the jar was built outside a git checkout (a source archive)
 */
public record BuildInfo(String version, Optional<String> commit, String homePage) {

    private static final String RESOURCE = "/dev/ecrdigestguard/build.properties";
    /** The runbook's section for people receiving an alert (docs/operations.md). */
    private static final String RUNBOOK = "docs/operations.md#an-alert-came-in-what-it-asks-of-you";

    private static final class Current {
        static final BuildInfo BUILD = read();
    }

    /** This jar's build, read once. */
    public static BuildInfo current() {
        return Current.BUILD;
    }

    /** The runbook of this version: a released version links to its tag, a development build to the main branch. */
    public String runbookUrl() {
        String ref = version.endsWith("-SNAPSHOT") ? "main" : "v" + version;
        return homePage + "/blob/" + ref + "/" + RUNBOOK;
    }

    /** "ecr-digest-guard 0.1.0 (commit 09a9c5e5f19b)". */
    public String describe() {
        return "ecr-digest-guard " + version + commit.map(c -> " (commit " + c + ")").orElse("");
    }

    private static BuildInfo read() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar; build it with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new BuildInfo(filled(properties, "version").orElse("unknown"), filled(properties, "commit"),
                filled(properties, "url").orElseThrow(() -> new IllegalStateException(RESOURCE + " names no url")));
    }

    /** A value Maven filled in; an unfilled {@code ${…}} placeholder (no git checkout) is no value. */
    private static Optional<String> filled(Properties properties, String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::trim)
                .filter(value -> !value.isEmpty() && !value.startsWith("${"));
    }
}
