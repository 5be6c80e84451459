package dev.ecrdigestguard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.http.async.SdkAsyncHttpService;
import software.amazon.awssdk.services.ecr.EcrClient;

class AwsClientsTest {

    /**
     * Every SDK service module drags in an HTTP client by default (Apache 4, then Apache 5, Netty for async); the pom
     * excludes them so the Lambda jar carries the URL-connection client only. A new SDK module or version that brings
     * one back fails here.
     */
    @Test
    void classPath_holdsTheUrlConnectionClientOnly() {
        assertThat(ServiceLoader.load(SdkHttpService.class).stream().map(provider -> provider.type().getName()))
                .containsExactly("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
        assertThat(ServiceLoader.load(SdkAsyncHttpService.class).stream()).isEmpty();
    }

    @Test
    void newEcrClient_usesTheRegionOfTheEnvironment() {
        try (EcrClient ecr = AwsClients.newEcrClient()) {
            assertThat(ecr.serviceClientConfiguration().region().id()).isEqualTo(System.getenv("AWS_REGION"));
        }
    }
}
