package dev.ecrdigestguard.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * WireMock in front of moto: every request is proxied to moto and kept in WireMock's journal, so a test sees on the
 * wire which calls were made with which credentials, and answers itself the few that moto can't or won't — stubs
 * added to the server answer before the proxy.
 */
public final class MotoFront {

    /** Below WireMock's default priority (5), so every stub a test adds answers first. */
    private static final int PROXY_PRIORITY = 10;

    private MotoFront() {
    }

    /** A started WireMock server on a free port that proxies everything to {@code moto}. */
    public static WireMockServer start(MotoServer moto) {
        WireMockServer front = new WireMockServer(options().dynamicPort());
        front.start();
        front.stubFor(any(anyUrl()).atPriority(PROXY_PRIORITY).willReturn(aResponse().proxiedFrom(moto.url())));
        return front;
    }

    /**
     * Answers {@code AssumeRole} into {@code roleName} in {@code account} with the {@code AccessDenied} STS sends for
     * a role whose trust policy doesn't admit the caller (or that doesn't exist). moto can't play this: it lets any
     * caller assume any role, even one whose trust policy denies everyone, or one that doesn't exist.
     */
    public static void refuseAssumeRole(WireMockServer front, String account, String roleName) {
        String role = "arn:aws:iam::" + account + ":role/" + roleName;
        front.stubFor(post("/").withRequestBody(containing("Action=AssumeRole")).withRequestBody(containing(account))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "text/xml").withBody("""
                        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/PushGuardFunctionRole/ecr-digest-guard is not authorized to perform: sts:AssumeRole on resource: %s</Message></Error>
                          <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
                        </ErrorResponse>""".formatted(role))));
    }
}
