package dev.ecrdigestguard.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.config.BuildInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The application ships as a real SAM application: {@code template.yaml} carries the Serverless Application
 * Repository's metadata within SAR's documented limits, pointing at a licence and a readme that exist, and every
 * place that states the version states the same one.
 */
class ServerlessRepoMetadataTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> application() {
        Map<String, Object> metadata = (Map<String, Object>) CloudFormationYaml.load(Path.of("template.yaml"))
                .get("Metadata");
        assertThat(metadata).as("template.yaml Metadata").containsKey("AWS::ServerlessRepo::Application");
        return (Map<String, Object>) metadata.get("AWS::ServerlessRepo::Application");
    }

    @Test
    void metadata_hasWhatSarRequires_withinItsLimits() {
        Map<String, Object> app = application();

        assertThat((String) app.get("Name")).matches("[a-zA-Z0-9\\-]{1,140}");
        assertThat((String) app.get("Description")).hasSizeBetween(1, 256);
        assertThat((String) app.get("Author")).hasSizeBetween(1, 127).matches("^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$");
        assertThat(app.get("SpdxLicenseId")).isEqualTo("Apache-2.0");
        assertThat((List<?>) app.get("Labels")).hasSizeBetween(1, 10).allSatisfy(label ->
                assertThat((String) label).hasSizeBetween(1, 127).matches("^[a-zA-Z0-9+\\-_:/@]+$"));
        assertThat((String) app.get("HomePageUrl")).isEqualTo(BuildInfo.current().homePage());
        assertThat((String) app.get("SourceCodeUrl")).startsWith("https://");
        assertThat(app.values()).allSatisfy(value -> assertThat(String.valueOf(value))
                .as("SAR takes no intrinsic functions").doesNotContain("Fn::", "Ref"));
    }

    @Test
    void licenceAndReadme_existAndAreWhatTheyClaim() throws IOException {
        Map<String, Object> app = application();

        String licence = Files.readString(Path.of((String) app.get("LicenseUrl")));
        assertThat(licence).contains("Apache License").contains("Version 2.0, January 2004")
                .contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
        assertThat(Path.of((String) app.get("ReadmeUrl"))).isRegularFile();
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<name>Apache-2.0</name>");
    }

    @Test
    void version_isTheSameInTheTemplateThePomTheChangelogAndTheJar() throws IOException {
        String version = BuildInfo.current().version();
        Matcher changelog = Pattern.compile("^## \\[([^]]+)]", Pattern.MULTILINE)
                .matcher(Files.readString(Path.of("CHANGELOG.md")));

        assertThat(application().get("SemanticVersion")).isEqualTo(version);
        assertThat(changelog.find()).as("CHANGELOG.md has a release").isTrue();
        assertThat(changelog.group(1)).as("the newest CHANGELOG.md entry").isEqualTo(version);
        assertThat(version).matches("\\d+\\.\\d+\\.\\d+");
    }
}
