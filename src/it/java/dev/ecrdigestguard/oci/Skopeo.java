package dev.ecrdigestguard.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs skopeo, the independent client the integration tests trust to seed images and to judge the results. */
final class Skopeo {

    private Skopeo() {
    }

    static boolean isInstalled() {
        try {
            return new ProcessBuilder("skopeo", "--version").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Copies between any two transports; TLS checks are off on both sides (the test registry speaks plain HTTP). */
    static void copy(String source, String destination, String... options) {
        List<String> args = new ArrayList<>(List.of("copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false"));
        args.addAll(List.of(options));
        args.add(source);
        args.add(destination);
        run(args);
    }

    /** The manifest exactly as the registry serves it. */
    static byte[] rawManifest(String reference) {
        return run(List.of("inspect", "--tls-verify=false", "--raw", reference));
    }

    /** The config blob exactly as stored (for a list: the one of the platform skopeo picks). */
    static byte[] rawConfig(String reference) {
        return run(List.of("inspect", "--tls-verify=false", "--config", "--raw", reference));
    }

    static byte[] run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("skopeo");
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed with exit code " + process.exitValue()
                        + ":\n" + new String(err.join(), StandardCharsets.UTF_8));
            }
            return out.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running skopeo", e);
        }
    }

    private static byte[] readAll(InputStream stream) {
        try (stream; ByteArrayOutputStream buffer = new ByteArrayOutputStream()) {
            stream.transferTo(buffer);
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
