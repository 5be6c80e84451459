package dev.ecrdigestguard.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.aws.AccountCredentials;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.testing.FakeContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The function's own account, partition and region, read from the ARN the runtime says it was invoked by. */
class InvokedFunctionTest {

    @Test
    void parse_readsAccountPartitionAndRegion_withOrWithoutAQualifier_inEveryPartition() {
        assertThat(InvokedFunction.Arn.parse("arn:aws:lambda:eu-west-1:123456789012:function:ecr-digest-guard"))
                .isEqualTo(new InvokedFunction.Arn(new AccountCredentials.Caller("123456789012", "aws"),
                        AccountRegion.of("123456789012", "eu-west-1")));
        assertThat(InvokedFunction.Arn.parse("arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:guard:live"))
                .isEqualTo(new InvokedFunction.Arn(new AccountCredentials.Caller("111122223333", "aws-us-gov"),
                        AccountRegion.of("111122223333", "us-gov-west-1")));
        assertThat(InvokedFunction.Arn.parse("arn:aws-cn:lambda:cn-north-1:111122223333:function:guard:7").caller())
                .isEqualTo(new AccountCredentials.Caller("111122223333", "aws-cn"));
        assertThat(InvokedFunction.Arn.parse("arn:aws-iso-b:lambda:us-isob-east-1:111122223333:function:g:$LATEST")
                .caller().partition()).isEqualTo("aws-iso-b");
    }

    @Test
    void parse_ofAnythingElse_isOneLineNamingTheArnAndTheProblem() {
        List<String> notFunctions = List.of(
                "arn:aws:lambda:eu-west-1:123456789012:layer:guard:1:2",
                "arn:aws:sns:eu-west-1:123456789012:function:guard",
                "arn:aws:lambda:eu-west-1:123456789012",
                "arn:aws:lambda:eu-west-1:123456789012:function:",
                "ecr-digest-guard");
        for (String arn : notFunctions) {
            assertThatThrownBy(() -> InvokedFunction.Arn.parse(arn)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the function's own ARN '" + arn + "' (from the invocation's context) is unusable: "
                            + "not of the form arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]");
        }
        assertThatThrownBy(() -> InvokedFunction.Arn.parse("arn:aws:lambda:eu-west-1:12345:function:guard"))
                .hasMessageEndingWith("is unusable: account '12345' is not a 12-digit AWS account ID");
        assertThatThrownBy(() -> InvokedFunction.Arn.parse("arn:aws-eu:lambda:eu-west-1:123456789012:function:guard"))
                .hasMessageEndingWith("is unusable: partition 'aws-eu' is not one of aws, aws-cn, aws-us-gov, "
                        + "aws-iso, aws-iso-b, aws-iso-e, aws-iso-f");
        assertThatThrownBy(() -> InvokedFunction.Arn.parse("arn:aws:lambda:Ireland:123456789012:function:guard"))
                .hasMessageEndingWith("is unusable: region 'Ireland' is not an AWS region code such as eu-west-1");
        assertThatThrownBy(() -> InvokedFunction.Arn.parse("arn:aws:lambda:eu-west-1:1234\n56789012:function:g"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("1234\\n56789012"));
    }

    @Test
    void caller_isEmptyOutsideLambda_andTheLatestInvocationsOnceInvoked() {
        InvokedFunction self = new InvokedFunction();
        assertThat(self.caller()).isEmpty();

        self.invokedBy(null);
        assertThat(self.caller()).as("no context: outside Lambda").isEmpty();

        self.invokedBy(new FakeContext("req-1", "ecr-digest-guard", 60_000));
        assertThat(self.caller()).contains(new AccountCredentials.Caller("123456789012", "aws"));
        assertThat(self.arn()).hasValueSatisfying(arn ->
                assertThat(arn.registry()).isEqualTo(AccountRegion.of("123456789012", "eu-west-1")));
    }
}
