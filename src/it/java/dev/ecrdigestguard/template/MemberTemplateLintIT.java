package dev.ecrdigestguard.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code member-template.yaml} through the real cfn-lint (it ships on the machine image, and validates every property
 * against CloudFormation's resource schemas): the template a StackSet deploys to every account must be one
 * CloudFormation accepts. Fails, never skips, when cfn-lint is missing.
 */
class MemberTemplateLintIT {

    @Test
    void memberTemplate_passesCfnLint() throws Exception {
        Path template = Path.of("member-template.yaml");
        assertThat(template).isRegularFile();
        Path output = Files.createTempFile("cfn-lint", ".txt");
        Process lint;
        try {
            lint = new ProcessBuilder("cfn-lint", "--format", "parseable", template.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            fail("cfn-lint is not installed (it ships on the machine image; pip install cfn-lint): " + e.getMessage());
            return;
        }
        if (!lint.waitFor(180, TimeUnit.SECONDS)) {
            lint.destroyForcibly();
            fail("cfn-lint did not finish within 180 s");
        }
        String findings = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        assertThat(findings).as("cfn-lint findings on " + template).isEmpty();
        assertThat(lint.exitValue()).as("cfn-lint exit status").isZero();
    }
}
