package dev.ecrdigestguard.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scanner behind the IAM check must see the calls later features will add, or the check proves nothing. */
class SdkOperationsTest {

    @Test
    void calledIn_findsOperations_throughPaginatorsMethodReferencesAndFactoryClients() {
        Map<Path, String> sources = Map.of(
                Path.of("Retagger.java"), """
                        import software.amazon.awssdk.services.ecr.EcrClient;
                        class Retagger {
                            void run(EcrClient ecr) {
                                ecr.batchGetImage(r -> r.repositoryName("app"));
                                ecr.describeImagesPaginator(request).imageDetails();
                                ecr.putImage(r -> r.imageTag("tag-1"));
                            }
                        }
                        """,
                Path.of("Secrets.java"), """
                        import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
                        class Secrets {
                            String read(SecretsManagerClient client) {
                                return client.getSecretValue(r -> r.secretId("x")).secretString();
                            }
                        }
                        """,
                Path.of("Parameters.java"), """
                        class Parameters {
                            // the client comes from a factory; the file never imports the SSM package
                            Object read() { var ssm = clients.newSsmClient(); return Optional.of(1).map(ssm::getParameter); }
                            static SsmClient unused;
                        }
                        """,
                Path.of("Clients.java"), """
                        import software.amazon.awssdk.services.ssm.SsmClient;
                        class Clients { SsmClient newSsmClient() { return SsmClient.create(); } }
                        """);

        assertThat(SdkOperations.calledIn(sources)).containsOnlyKeys(
                "ecr:BatchGetImage", "ecr:DescribeImages", "ecr:PutImage", "secretsmanager:GetSecretValue",
                "ssm:GetParameter");
    }

    @Test
    void calledIn_ignoresModelGettersAndComments() {
        Map<Path, String> sources = Map.of(Path.of("Reader.java"), SdkOperations.withoutComments("""
                import software.amazon.awssdk.services.ecr.model.ImageDetail;
                import software.amazon.awssdk.services.ecr.EcrClient;
                /* ecr.deleteRepository(r -> r) is what we never do; "repository/*" below is a string */
                class Reader {
                    String arn = "arn:aws:ecr:*:*:repository/*";
                    // ecr.batchDeleteImage(...)
                    String tags(ImageDetail detail) { return detail.imageTags().toString() + detail.imageDigest(); }
                    void call(EcrClient ecr) { ecr.getLifecyclePolicy(r -> r.repositoryName("a")); }
                }
                """));

        assertThat(SdkOperations.calledIn(sources)).containsOnlyKeys("ecr:GetLifecyclePolicy");
    }

    @Test
    void calledIn_findsCallsMadePastAClientsMethods_credentialProvidersAndSignedJsonRequests() {
        Map<Path, String> sources = Map.of(
                Path.of("Credentials.java"), """
                        import software.amazon.awssdk.services.sts.StsClient;
                        import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
                        class Credentials {
                            Object caller(StsClient sts) { return sts.getCallerIdentity(); }
                            Object member() { return StsAssumeRoleCredentialsProvider.builder().build(); }
                        }
                        """,
                Path.of("Accounts.java"), """
                        class Accounts {
                            static final String TARGET = "AWSOrganizationsV20161128.ListAccounts";
                            static final String OTHER = "SomeUnknownService.DoThings";
                        }
                        """,
                Path.of("Invoker.java"), """
                        class Invoker {
                            SignedCall invoke = SignedCall.forAction("lambda:InvokeFunction", "lambda", "Lambda", r, c);
                            // a message naming an action is not a call of it
                            String text = "ecr:DeleteRepository is never called";
                        }
                        """);

        assertThat(SdkOperations.calledIn(sources)).containsOnlyKeys(
                "sts:GetCallerIdentity", "sts:AssumeRole", "organizations:ListAccounts", "lambda:InvokeFunction");
    }
}
