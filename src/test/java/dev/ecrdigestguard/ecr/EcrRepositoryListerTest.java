package dev.ecrdigestguard.ecr;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.ecrdigestguard.testing.LocalAws.ECR_TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.testing.LocalAws;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;

/** The repository lister with the real SDK client against a local server answering as ECR. */
class EcrRepositoryListerTest {

    private LocalAws aws;
    private EcrClient client;

    @BeforeEach
    void start() {
        aws = LocalAws.start();
        client = AwsClients.newEcrClient();
    }

    @AfterEach
    void stop() {
        client.close();
        aws.close();
    }

    @Test
    void forEachRepository_followsNextToken_throughEveryPage() {
        // GIVEN two pages
        aws.server().stubFor(EcrImageCatalogTest.ecr("DescribeRepositories").withRequestBody(containing("\"p2\""))
                .willReturn(EcrImageCatalogTest.json(200, "{\"repositories\":[{\"repositoryName\":\"team/web\"}]}")));
        aws.server().stubFor(EcrImageCatalogTest.ecr("DescribeRepositories").atPriority(10)
                .willReturn(EcrImageCatalogTest.json(200,
                        "{\"repositories\":[{\"repositoryName\":\"shop-api\"}],\"nextToken\":\"p2\"}")));
        List<RepositoryName> names = new ArrayList<>();

        // WHEN
        new EcrRepositoryLister(client).forEachRepository(names::add);

        // THEN
        assertThat(names).containsExactly(RepositoryName.of("shop-api"), RepositoryName.of("team/web"));
        aws.server().verify(2, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECR_TARGET + "DescribeRepositories")));
    }

    @Test
    void forEachRepository_translatesAccessDenied_intoANonRetryableCatalogException() {
        aws.server().stubFor(EcrImageCatalogTest.ecr("DescribeRepositories").willReturn(
                EcrImageCatalogTest.error(400, "AccessDeniedException", "not authorized to perform ecr:DescribeRepositories")));

        CatalogException failure = catchThrowableOfType(CatalogException.class,
                () -> new EcrRepositoryLister(client).forEachRepository(name -> { }));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("ecr:DescribeRepositories");
    }
}
