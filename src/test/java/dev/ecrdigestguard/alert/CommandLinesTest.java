package dev.ecrdigestguard.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.config.AwsRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import org.junit.jupiter.api.Test;

class CommandLinesTest {

    private static final RepositoryName REPOSITORY = RepositoryName.of("team/shop-api");

    @Test
    void retag_namesRegionRepositoryTagAndTheFunctionsPatterns_quotedForTheShell() {
        CommandLines commands = new CommandLines(ProductionTags.parse("tag-*,v*.*.*"), "eu-west-1");

        assertThat(commands.retag(REPOSITORY, Tag.of("tag-1-253-0"))).isEqualTo("java -jar ecr-digest-guard.jar retag"
                + " --region eu-west-1 --repository team/shop-api --tag tag-1-253-0 --production-tags 'tag-*,v*.*.*'");
        assertThat(commands.check(REPOSITORY, Tag.of("tag-1-253-0"))).startsWith(CommandLines.JAR + " check ")
                .endsWith(" --tag tag-1-253-0 --production-tags 'tag-*,v*.*.*'");
        assertThat(commands.preview(REPOSITORY))
                .isEqualTo("java -jar ecr-digest-guard.jar preview --region eu-west-1 --repository team/shop-api");
    }

    @Test
    void restoreFromArchive_isTheAwsCliCommandForThatImage_inItsRegion() {
        CommandLines commands = new CommandLines(ProductionTags.parse("tag-*"), "eu-west-1");
        Digest digest = Digest.of("sha256:" + "a".repeat(64));

        assertThat(commands.restoreFromArchive(REPOSITORY, digest)).isEqualTo("aws ecr update-image-storage-class"
                + " --region eu-west-1 --repository-name team/shop-api --image-id imageDigest=" + digest.value()
                + " --target-storage-class STANDARD");
    }

    @Test
    void aRegionThatIsNoRegionName_isLeftOut_ratherThanPassedToTheShell() {
        CommandLines commands = new CommandLines(ProductionTags.parse("tag-*"), "eu-west-1; rm -rf ~");

        assertThat(commands.retag(REPOSITORY, Tag.of("tag-1"))).doesNotContain("--region", "rm");
        assertThat(new CommandLines(ProductionTags.parse("tag-*"), "").preview(REPOSITORY)).doesNotContain("--region");
        assertThat(AwsRegion.valid("us-gov-west-1")).contains("us-gov-west-1");
        assertThat(AwsRegion.valid("cn-north-1")).contains("cn-north-1");
    }

    @Test
    void quoted_leavesPlainWordsAlone_andSingleQuotesTheRest() {
        assertThat(CommandLines.quoted("tag-1.2_3")).isEqualTo("tag-1.2_3");
        assertThat(CommandLines.quoted("tag-*")).isEqualTo("'tag-*'");
        assertThat(CommandLines.quoted("it's")).isEqualTo("'it'\\''s'");
    }
}
