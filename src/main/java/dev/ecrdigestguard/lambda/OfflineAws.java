package dev.ecrdigestguard.lambda;

import dev.ecrdigestguard.alert.sns.SnsAlertRenderer;
import dev.ecrdigestguard.alert.sns.SnsNotifier;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.config.TopicArn;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.json.JsonText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The guard's ECR and SNS adapters over SDK clients whose HTTP client answers from memory: every SDK step of a real
 * call runs (endpoint rules, signing, marshalling, the HTTP exchange, unmarshalling, error mapping) but nothing leaves
 * the process. SnapStart priming uses it so that a restored function has those classes loaded and initialised,
 * without calling AWS before the snapshot.
 *
 * <p>The answers: {@code DescribeImages} returns one image with the requested digest (or, listing the repository,
 * with the digest of the last one asked for), tagged {@link #PRIMING_TAGS}; {@code GetLifecyclePolicy} returns a
 * one-rule policy, so the lifecycle path is primed too; SNS {@code Publish} succeeds.
 */
public final class OfflineAws {

    /** The tags of the image every {@code DescribeImages} returns. */
    public static final String[] PRIMING_TAGS = {"release-1", "release-2"};

    private static final Pattern DIGEST = Pattern.compile("\"imageDigest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"");
    private static final String DEFAULT_DIGEST = "sha256:" + "0".repeat(64);
    private static final String POLICY = "{\"rules\":[{\"rulePriority\":1,\"description\":\"priming\","
            + "\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":100},"
            + "\"action\":{\"type\":\"expire\"}}]}";
    private static final String ECR_TARGET = "AmazonEC2ContainerRegistry_V20150921.";

    private OfflineAws() {
    }

    public static ImageCatalog imageCatalog() {
        return new EcrImageCatalog(EcrClient.builder()
                .httpClient(new InMemoryHttpClient())
                .region(Region.EU_WEST_1)
                .credentialsProvider(credentials())
                .overrideConfiguration(AwsClients.timeouts())
                .build());
    }

    public static SnsNotifier snsNotifier(ProductionTags productionTags) {
        return new SnsNotifier(SnsClient.builder()
                .httpClient(new InMemoryHttpClient())
                .region(Region.EU_WEST_1)
                .credentialsProvider(credentials())
                .overrideConfiguration(AwsClients.timeouts())
                .build(), new TopicArn("arn:aws:sns:eu-west-1:123456789012:priming"),
                new SnsAlertRenderer(productionTags));
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("PRIMINGONLY", "priming-only-not-a-secret"));
    }

    /** Answers the guard's calls as ECR and SNS would, from memory. */
    static final class InMemoryHttpClient implements SdkHttpClient {

        /** A listing returns the image last described, so the lifecycle evaluation sees the pushed image. */
        private volatile String lastDigest = DEFAULT_DIGEST;

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return answer(request);
                }

                @Override
                public void abort() {
                }
            };
        }

        private HttpExecuteResponse answer(HttpExecuteRequest request) {
            String body = request.contentStreamProvider().map(provider -> read(provider.newStream())).orElse("");
            Optional<String> target = request.httpRequest().firstMatchingHeader("X-Amz-Target");
            if (target.isPresent() && target.get().startsWith(ECR_TARGET)) {
                String operation = target.get().substring(ECR_TARGET.length());
                if (operation.equals("DescribeImages")) {
                    Matcher digest = DIGEST.matcher(body);
                    if (digest.find()) {
                        lastDigest = digest.group(1);
                    }
                    return response(200, "application/x-amz-json-1.1", "{\"imageDetails\":[" + image(lastDigest) + "]}");
                }
                if (operation.equals("GetLifecyclePolicy")) {
                    return response(200, "application/x-amz-json-1.1", "{\"registryId\":\"123456789012\","
                            + "\"repositoryName\":\"priming\",\"lifecyclePolicyText\":"
                            + JsonText.write(POLICY) + ",\"lastEvaluatedAt\":1.6711E9}");
                }
                return response(400, "application/x-amz-json-1.1",
                        "{\"__type\":\"UnsupportedOperationException\",\"message\":\"priming\"}");
            }
            if (body.contains("Action=Publish")) {
                return response(200, "text/xml", "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                        + "<PublishResult><MessageId>" + UUID.randomUUID() + "</MessageId></PublishResult>"
                        + "<ResponseMetadata><RequestId>priming</RequestId></ResponseMetadata></PublishResponse>");
            }
            return response(400, "text/xml", "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"
                    + "<Message>priming</Message></Error><RequestId>priming</RequestId></ErrorResponse>");
        }

        private static String image(String digest) {
            StringBuilder tags = new StringBuilder();
            for (String tag : PRIMING_TAGS) {
                tags.append(tags.length() == 0 ? "" : ",").append('"').append(tag).append('"');
            }
            return "{\"registryId\":\"123456789012\",\"repositoryName\":\"priming\",\"imageDigest\":\"" + digest
                    + "\",\"imageTags\":[" + tags + "],\"imageSizeInBytes\":1024,\"imagePushedAt\":1.6710982E9,"
                    + "\"imageManifestMediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"lastRecordedPullTime\":1.6711E9}";
        }

        private static HttpExecuteResponse response(int status, String contentType, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return HttpExecuteResponse.builder()
                    .response(SdkHttpResponse.builder().statusCode(status)
                            .putHeader("Content-Type", contentType)
                            .putHeader("Content-Length", Integer.toString(bytes.length))
                            .putHeader("x-amzn-RequestId", "priming")
                            .build())
                    .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                    .build();
        }

        private static String read(InputStream stream) {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
        }
    }
}
