package dev.ecrdigestguard.ecr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static dev.ecrdigestguard.testing.Pushes.DIGEST;
import static dev.ecrdigestguard.testing.Pushes.REPOSITORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every ECR adapter against a server that lies: next-page tokens that never end, answers that are 200 but wrong.
 * Each must stop with its port's failure, saying what was wrong, and never hand a guess to the guard.
 */
class HostileEcrTest {

    private final EcrStub stub = new EcrStub();
    private final EcrImageCatalog catalog = new EcrImageCatalog(stub.ecr);
    private final EcrRegistryClient registry = EcrRegistryClient.create(stub.ecr);

    @AfterEach
    void stop() {
        stub.close();
    }

    private static final String IMAGE = "{\"imageDigest\":\"" + DIGEST + "\",\"imageTags\":[\"tag-1\"],"
            + "\"imagePushedAt\":1.6E9}";

    /** Each paginated call, the page that repeats its own token for ever, and the call that walks it. */
    static Stream<Arguments> listings() {
        return Stream.of(
                Arguments.of("DescribeImages (every image)", "DescribeImages",
                        "{\"imageDetails\":[" + IMAGE + "],\"nextToken\":\"again\"}",
                        (Walk) test -> test.catalog.forEachImage(REPOSITORY, image -> { })),
                Arguments.of("DescribeImages (every tag, re-tag)", "DescribeImages",
                        "{\"imageDetails\":[" + IMAGE + "],\"nextToken\":\"again\"}",
                        (Walk) test -> test.registry.listTags(REPOSITORY)),
                Arguments.of("DescribeRepositories", "DescribeRepositories",
                        "{\"repositories\":[{\"repositoryName\":\"shop-api\"}],\"nextToken\":\"again\"}",
                        (Walk) test -> new EcrRepositoryLister(test.stub.ecr).forEachRepository(name -> { })),
                Arguments.of("ListImageReferrers", "ListImageReferrers",
                        "{\"referrers\":[],\"nextToken\":\"again\"}",
                        (Walk) test -> test.registry.referrers(REPOSITORY, DIGEST)));
    }

    @FunctionalInterface
    interface Walk {
        void run(HostileEcrTest test);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listings")
    void aListingWhoseTokenRepeats_stopsAfterTwoPages_withANonRetryableFailure(String name, String operation,
                                                                               String page, Walk walk) {
        stub.answer(operation, page);

        ServiceFailure failure = catchThrowableOfType(ServiceFailure.class, () -> walk.run(this));

        assertThat(failure).as(name).isNotNull();
        assertThat(failure.retryable()).isFalse();
        assertThat(failure).hasMessageStartingWith("ecr:" + operation)
                .hasMessageContaining("token 'again' again after 2 pages");
        assertThat(stub.operations()).hasSize(2);
    }

    @Test
    void aListingThatNeverEnds_withFreshTokens_stopsAtItsCap() {
        // GIVEN a server that makes up a new token for every page
        stub.server.stubFor(EcrStub.call("DescribeRepositories").willReturn(
                aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"repositories\":[],\"nextToken\":\"{{randomValue length=24 type='ALPHANUMERIC'}}\"}")
                        .withTransformers("response-template")));

        CatalogException failure = catchThrowableOfType(CatalogException.class,
                () -> new EcrRepositoryLister(stub.ecr).forEachRepository(name -> { }));

        assertThat(failure).hasMessageContaining("still more after " + EcrRepositoryLister.MAX_PAGES + " pages");
        assertThat(stub.operations()).hasSize(EcrRepositoryLister.MAX_PAGES);
    }

    @ParameterizedTest(name = "imagePushedAt {0}")
    @ValueSource(strings = {"1e16", "-1e16", "1.0E12", "-5"})
    void describeImage_timestampOutsideTheSupportedRange_failsWithoutRetry_namingTheField(String epochSeconds) {
        stub.answer("DescribeImages", "{\"imageDetails\":[{\"imageDigest\":\"" + DIGEST + "\",\"imageTags\":"
                + "[\"tag-1\"],\"imagePushedAt\":" + epochSeconds + "}]}");

        CatalogException failure = catchThrowableOfType(CatalogException.class,
                () -> catalog.describeImage(REPOSITORY, DIGEST));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure).hasMessageStartingWith("ecr:DescribeImages on repository 'shop-api' returned "
                + "imagePushedAt of " + DIGEST).hasMessageContaining("outside the supported range");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lastRecordedPullTime", "lastArchivedAt", "lastActivatedAt"})
    void forEachImage_otherTimestampsOutsideTheRange_failWithoutRetry(String field) {
        stub.answer("DescribeImages", "{\"imageDetails\":[{\"imageDigest\":\"" + DIGEST + "\",\"imagePushedAt\":1.6E9,"
                + "\"" + field + "\":1e17}]}");

        CatalogException failure = catchThrowableOfType(CatalogException.class,
                () -> catalog.forEachImage(REPOSITORY, image -> { }));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure).hasMessageContaining(field + " of " + DIGEST);
    }

    static Stream<Arguments> wrongImageDetails() {
        return Stream.of(
                Arguments.of("no digest", "{\"imagePushedAt\":1.6E9}", "invalid image digest 'null'"),
                Arguments.of("null entry", "null", "an image detail that is null"),
                Arguments.of("no push time", "{\"imageDigest\":\"" + DIGEST + "\"}", "without imagePushedAt"),
                Arguments.of("impossible tag", "{\"imageDigest\":\"" + DIGEST + "\",\"imagePushedAt\":1.6E9,"
                        + "\"imageTags\":[\"\\u001b[2Jbad tag\"]}", "invalid image tag '\\u001B[2Jbad tag'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongImageDetails")
    void forEachImage_anImageEcrCannotHaveSent_failsWithoutRetry(String name, String detail, String reason) {
        stub.answer("DescribeImages", "{\"imageDetails\":[" + detail + "]}");
        List<ImageRecord> read = new ArrayList<>();

        CatalogException failure = catchThrowableOfType(CatalogException.class,
                () -> catalog.forEachImage(REPOSITORY, read::add));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure).hasMessageContaining(reason);
        assertThat(read).isEmpty();
    }

    @ParameterizedTest(name = "body {0}")
    @ValueSource(strings = {"{}", "", "{\"imageDetails\":[]}", "{\"imageDetails\":null}"})
    void describeImage_anEmpty200_isAFailure_notAnImageThatIsGone(String body) {
        stub.answer("DescribeImages", body);

        CatalogException failure = catchThrowableOfType(CatalogException.class,
                () -> catalog.describeImage(REPOSITORY, DIGEST));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure).hasMessageContaining("answered without the image and without an error");
    }

    @Test
    void describeImage_htmlFromAProxy_isARetryableFailure() {
        stub.answer("DescribeImages", "<html><body>Gateway</body></html>");

        assertThat(catchThrowableOfType(CatalogException.class, () -> catalog.describeImage(REPOSITORY, DIGEST))
                .retryable()).isTrue();
    }

    @Test
    void reTagReads_ofImpossibleTagsOrDigests_failWithoutRetry() {
        stub.answer("DescribeImages", "{\"imageDetails\":[{\"imageDigest\":\"" + DIGEST + "\",\"imagePushedAt\":1.6E9,"
                + "\"imageTags\":[\"-no\"]}]}");
        stub.answer("ListImageReferrers", "{\"referrers\":[{\"digest\":\"sha256:short\"}]}");

        List<ThrowingCallable> reads = List.of(
                () -> registry.listTags(REPOSITORY),
                () -> registry.tagsOf(REPOSITORY, DIGEST, tag -> true),
                () -> registry.referrers(REPOSITORY, DIGEST));
        for (ThrowingCallable read : reads) {
            RegistryException failure = catchThrowableOfType(RegistryException.class, read);
            assertThat(failure.retryable()).isFalse();
            assertThat(failure).hasMessageContaining("returned invalid image");
        }
    }

    @Test
    void listTags_stillReadsEveryPage_andEveryTagOnce() {
        stub.server.stubFor(EcrStub.call("DescribeImages").withRequestBody(
                        containing("\"p2\""))
                .willReturn(okJson(
                        "{\"imageDetails\":[{\"imageDigest\":\"" + DIGEST + "\",\"imagePushedAt\":1.6E9,"
                                + "\"imageTags\":[\"b\",\"a\"]}]}")));
        stub.server.stubFor(EcrStub.call("DescribeImages").atPriority(10).willReturn(
                okJson("{\"nextToken\":\"p2\",\"imageDetails\":["
                        + IMAGE + ",{\"imageDigest\":\"" + DIGEST + "\",\"imagePushedAt\":1.6E9,\"imageTags\":[\"a\"]}]}")));

        assertThat(registry.listTags(REPOSITORY)).containsExactly(Tag.of("tag-1"), Tag.of("a"), Tag.of("b"));
    }
}
