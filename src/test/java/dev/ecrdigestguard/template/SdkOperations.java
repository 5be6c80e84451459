package dev.ecrdigestguard.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkRequest;

/**
 * The AWS API operations the main code calls, derived from its source, as IAM actions ({@code ecr:DescribeImages}).
 *
 * <p>How it decides, deliberately erring towards "called" so that a missing IAM action fails the build loudly:
 * <ol>
 *   <li>SDK client interfaces are the {@code *Client} names the source mentions that exist in a
 *       {@code software.amazon.awssdk.services.<service>} package it mentions ({@code EcrClient},
 *       {@code SecretsManagerClient}, async clients too);</li>
 *   <li>a source file talks to a service when it mentions that package or one of its client names (which also
 *       catches {@code AwsClients.newEcrClient()});</li>
 *   <li>in such a file, every {@code .name(} call and {@code ::name} reference whose name is an operation method of
 *       the service's client counts; the operation is read by reflection from the method's request type, so
 *       {@code describeImagesPaginator(DescribeImagesRequest)} is {@code DescribeImages}.</li>
 * </ol>
 * Two kinds of call go past a client's methods and are read too: an SDK credentials provider that calls STS itself
 * ({@link #CALLING_PROVIDERS}: {@code StsAssumeRoleCredentialsProvider} is {@code sts:AssumeRole}), and a
 * JSON-protocol request the code signs and sends itself, named by its {@code X-Amz-Target} string literal
 * ({@link #JSON_TARGETS}: {@code "AWSOrganizationsV20161128.ListAccounts"} is {@code organizations:ListAccounts}), and
 * any request sent through {@code aws.SignedCall}, which names its IAM action where it is made
 * ({@link #SIGNED_CALL}: {@code SignedCall.forAction("ssm:GetParameter", …)}).
 *
 * <p>To extend: a service whose IAM prefix differs from its SDK package name goes in {@link #IAM_PREFIXES}; an
 * operation whose IAM action has another name (rare, e.g. S3's {@code ListObjectsV2} is {@code s3:ListBucket}) goes
 * in {@link #IAM_ACTIONS}.
 */
final class SdkOperations {

    /** SDK package name → IAM service prefix, where they differ. */
    static final Map<String, String> IAM_PREFIXES = Map.of(
            "cloudwatchlogs", "logs",
            "sfn", "states",
            "elasticloadbalancingv2", "elasticloadbalancing");

    /** SDK-derived action → IAM action, where they differ. */
    static final Map<String, String> IAM_ACTIONS = Map.of(
            "s3:ListObjectsV2", "s3:ListBucket",
            "s3:HeadObject", "s3:GetObject",
            "s3:HeadBucket", "s3:ListBucket",
            // The ECR API reference: "The IAM principal invoking this operation must have the ecr:BatchGetImage
            // permission." There is no ecr:ListImageReferrers action to grant.
            "ecr:ListImageReferrers", "ecr:BatchGetImage");

    /** SDK credentials providers that call an operation themselves when they refresh. */
    static final Map<String, String> CALLING_PROVIDERS = Map.of(
            "StsAssumeRoleCredentialsProvider", "sts:AssumeRole");

    /** {@code X-Amz-Target} prefixes of JSON-protocol services → IAM service prefix. */
    static final Map<String, String> JSON_TARGETS = Map.of(
            "AWSOrganizationsV20161128", "organizations");

    /** A request signed without a service client names its IAM action first. */
    static final Pattern SIGNED_CALL = Pattern.compile(
            "SignedCall\\.(?:forAction|at)\\(\\s*\"([a-z0-9-]+):([A-Z]\\w*)\"");
    private static final Pattern TARGET_LITERAL = Pattern.compile("\"([A-Za-z0-9_]+)\\.([A-Z]\\w*)\"");
    private static final Pattern SERVICE_PACKAGE = Pattern.compile("software\\.amazon\\.awssdk\\.services\\.(\\w+)\\.");
    private static final Pattern CLIENT_NAME = Pattern.compile("\\b([A-Z]\\w*Client)\\b");
    private static final Pattern CALL = Pattern.compile("\\.\\s*([a-z]\\w*)\\s*\\(|::\\s*([a-z]\\w*)");

    private SdkOperations() {
    }

    /** IAM action → the source files that call it, for every SDK operation called under {@code sourceRoot}. */
    static Map<String, Set<String>> calledIn(Path sourceRoot) {
        Map<Path, String> sources = readSources(sourceRoot);
        return calledIn(sources);
    }

    static Map<String, Set<String>> calledIn(Map<Path, String> sources) {
        Set<String> services = new TreeSet<>();
        Set<String> clientNames = new TreeSet<>();
        sources.values().forEach(text -> {
            SERVICE_PACKAGE.matcher(text).results().forEach(m -> services.add(m.group(1)));
            CLIENT_NAME.matcher(text).results().forEach(m -> clientNames.add(m.group(1)));
        });
        Map<String, List<Class<?>>> clients = new TreeMap<>();
        for (String service : services) {
            List<Class<?>> found = clientNames.stream()
                    .<Class<?>>map(name -> load("software.amazon.awssdk.services." + service + "." + name))
                    .filter(type -> type != null && type.isInterface() && SdkClient.class.isAssignableFrom(type))
                    .toList();
            if (!found.isEmpty()) {
                clients.put(service, found);
            }
        }
        Map<String, Set<String>> actions = new TreeMap<>();
        sources.forEach((file, text) -> clients.forEach((service, types) -> {
            boolean talksToService = text.contains("software.amazon.awssdk.services." + service + ".")
                    || types.stream().anyMatch(type -> text.contains(type.getSimpleName()));
            if (!talksToService) {
                return;
            }
            Map<String, Set<String>> operationsByMethod = new HashMap<>();
            types.forEach(type -> operationsByMethod.putAll(operationsByMethod(type)));
            Matcher call = CALL.matcher(text);
            while (call.find()) {
                String method = call.group(1) != null ? call.group(1) : call.group(2);
                for (String operation : operationsByMethod.getOrDefault(method, Set.of())) {
                    String action = iamAction(service, operation);
                    actions.computeIfAbsent(action, a -> new TreeSet<>()).add(file.getFileName().toString());
                }
            }
        }));
        sources.forEach((file, text) -> {
            CALLING_PROVIDERS.forEach((provider, action) -> {
                if (Pattern.compile("\\b" + provider + "\\b").matcher(text).find()) {
                    actions.computeIfAbsent(action, a -> new TreeSet<>()).add(file.getFileName().toString());
                }
            });
            Matcher signed = SIGNED_CALL.matcher(text);
            while (signed.find()) {
                actions.computeIfAbsent(signed.group(1) + ":" + signed.group(2), a -> new TreeSet<>())
                        .add(file.getFileName().toString());
            }
            Matcher target = TARGET_LITERAL.matcher(text);
            while (target.find()) {
                String service = JSON_TARGETS.get(target.group(1));
                if (service != null) {
                    actions.computeIfAbsent(iamAction(service, target.group(2)), a -> new TreeSet<>())
                            .add(file.getFileName().toString());
                }
            }
        });
        return actions;
    }

    static String iamAction(String service, String operation) {
        String action = IAM_PREFIXES.getOrDefault(service, service) + ":" + operation;
        return IAM_ACTIONS.getOrDefault(action, action);
    }

    /** Method name → API operations, from the methods that take one SDK request ({@code DescribeImagesRequest}). */
    static Map<String, Set<String>> operationsByMethod(Class<?> client) {
        Map<String, Set<String>> operations = new HashMap<>();
        for (Method method : client.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 1) {
                continue;
            }
            Class<?> parameter = method.getParameterTypes()[0];
            if (SdkRequest.class.isAssignableFrom(parameter) && parameter.getSimpleName().endsWith("Request")) {
                String operation = parameter.getSimpleName().substring(0,
                        parameter.getSimpleName().length() - "Request".length());
                operations.computeIfAbsent(method.getName(), name -> new LinkedHashSet<>()).add(operation);
            }
        }
        return operations;
    }

    private static Map<Path, String> readSources(Path root) {
        Map<Path, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.put(root.relativize(file), withoutComments(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sources under " + root, e);
        }
        return sources;
    }

    /** Java source without comments; string literals are kept, so "repository/*" opens no comment. */
    static String withoutComments(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != c) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                code.append(source, i, Math.min(end + 1, source.length()));
                i = end + 1;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                code.append(' ');
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, SdkOperations.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
