package dev.ecrdigestguard.retag;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.ImageRegistry;
import dev.ecrdigestguard.registry.ImmutableTagException;
import dev.ecrdigestguard.registry.RegistryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fake {@link ImageRegistry} for one repository, with the port's contract: "not found" is empty, pushing what
 * exists is {@code ALREADY_EXISTED}. It records every write, and can be told to fail the next tagged push.
 */
public final class InMemoryRegistry implements ImageRegistry {

    public final RepositoryName repository;
    private final Map<Digest, Manifest> manifests = new LinkedHashMap<>();
    private final Map<Tag, Digest> tags = new LinkedHashMap<>();
    private final Map<Digest, byte[]> blobs = new HashMap<>();
    private final Map<Digest, List<Digest>> referrers = new HashMap<>();
    private final List<String> writes = new ArrayList<>();
    private TagMutability mutability = TagMutability.MUTABLE;
    private RuntimeException nextTaggedPushFailure;
    private boolean registryEnforcesImmutability;

    public InMemoryRegistry(RepositoryName repository) {
        this.repository = repository;
    }

    public InMemoryRegistry put(Manifest manifest, String... tagNames) {
        manifests.put(manifest.digest(), manifest);
        for (String tag : tagNames) {
            tags.put(Tag.of(tag), manifest.digest());
        }
        return this;
    }

    public InMemoryRegistry putBlob(byte[] content) {
        blobs.put(Digest.sha256(content), content);
        return this;
    }

    public InMemoryRegistry referrer(Digest subject, Digest referrer) {
        referrers.computeIfAbsent(subject, d -> new ArrayList<>()).add(referrer);
        return this;
    }

    public InMemoryRegistry mutability(TagMutability mutability) {
        this.mutability = mutability;
        return this;
    }

    /** The registry itself rejects moving tags (as ECR does with ImageTagAlreadyExistsException). */
    public InMemoryRegistry rejectTagMoves() {
        this.registryEnforcesImmutability = true;
        return this;
    }

    public InMemoryRegistry failNextTaggedPush(RuntimeException failure) {
        this.nextTaggedPushFailure = failure;
        return this;
    }

    public Optional<Digest> digestOf(String tag) {
        return Optional.ofNullable(tags.get(Tag.of(tag)));
    }

    public Manifest manifest(Digest digest) {
        return manifests.get(digest);
    }

    public int manifestCount() {
        return manifests.size();
    }

    public List<String> writes() {
        return List.copyOf(writes);
    }

    @Override
    public Optional<Manifest> fetchManifest(RepositoryName repo, String reference) {
        check(repo);
        Digest digest = reference.startsWith("sha256:") ? Digest.of(reference) : tags.get(Tag.of(reference));
        return Optional.ofNullable(digest == null ? null : manifests.get(digest));
    }

    @Override
    public Optional<byte[]> fetchBlob(RepositoryName repo, Digest digest) {
        check(repo);
        return Optional.ofNullable(blobs.get(digest));
    }

    @Override
    public void pushBlob(RepositoryName repo, Digest digest, byte[] content) {
        check(repo);
        if (!Digest.sha256(content).equals(digest)) {
            throw new IllegalArgumentException("digest mismatch");
        }
        writes.add("blob " + digest.shortForm());
        blobs.put(digest, content);
    }

    @Override
    public PushOutcome pushManifest(RepositoryName repo, Optional<Tag> tag, Manifest manifest) {
        check(repo);
        if (tag.isPresent() && nextTaggedPushFailure != null) {
            RuntimeException failure = nextTaggedPushFailure;
            nextTaggedPushFailure = null;
            throw failure;
        }
        if (tag.isPresent() && registryEnforcesImmutability && tags.containsKey(tag.get())
                && !tags.get(tag.get()).equals(manifest.digest())) {
            throw new ImmutableTagException("tag " + tag.get() + " is immutable", null);
        }
        writes.add("manifest " + manifest.digest().shortForm() + tag.map(t -> " tag " + t).orElse(""));
        boolean existed = manifests.containsKey(manifest.digest())
                && tag.map(t -> manifest.digest().equals(tags.get(t))).orElse(true);
        manifests.put(manifest.digest(), manifest);
        tag.ifPresent(t -> tags.put(t, manifest.digest()));
        return existed ? PushOutcome.ALREADY_EXISTED : PushOutcome.CREATED;
    }

    @Override
    public List<Tag> listTags(RepositoryName repo) {
        check(repo);
        return List.copyOf(tags.keySet());
    }

    @Override
    public List<Digest> referrers(RepositoryName repo, Digest digest) {
        check(repo);
        return referrers.getOrDefault(digest, List.of());
    }

    @Override
    public TagMutability tagMutability(RepositoryName repo, Tag tag) {
        check(repo);
        return mutability;
    }

    private void check(RepositoryName repo) {
        if (!repository.equals(repo)) {
            throw new RegistryException("no repository " + repo, false);
        }
    }
}
