package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.registry.ImageRegistry.TagMutability;
import dev.ecrdigestguard.registry.RegistryException;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilterType;
import software.amazon.awssdk.services.ecr.model.Repository;

/**
 * Whether one tag may move, from {@code DescribeRepositories}: the repository's {@code imageTagMutability} and its
 * {@code imageTagMutabilityExclusionFilters}, which flip the setting for the tags they match
 * ({@code IMMUTABLE_WITH_EXCLUSION}: matching tags are mutable; {@code MUTABLE_WITH_EXCLUSION}: matching tags are
 * immutable). Whatever we can't interpret counts as immutable: a refused re-tag is an alert, a wrong attempt is not.
 */
final class TagMutabilityReader {

    private final EcrClient ecr;

    TagMutabilityReader(EcrClient ecr) {
        this.ecr = ecr;
    }

    TagMutability read(RepositoryName repository, Tag tag) {
        Repository found;
        try {
            List<Repository> repositories = ecr.describeRepositories(request -> request
                    .repositoryNames(repository.value())).repositories();
            if (repositories.isEmpty()) {
                throw new RegistryException("ecr:DescribeRepositories returned no repository '" + repository + "'",
                        false);
            }
            found = repositories.get(0);
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:DescribeRepositories", repository, "", e);
        }
        return mutability(found.imageTagMutability(), found.imageTagMutabilityExclusionFilters(), tag);
    }

    static TagMutability mutability(ImageTagMutability setting, List<ImageTagMutabilityExclusionFilter> filters,
                                    Tag tag) {
        if (setting == null) {
            // ECR's default when a repository was created without the setting.
            return TagMutability.MUTABLE;
        }
        return switch (setting) {
            case MUTABLE -> TagMutability.MUTABLE;
            case IMMUTABLE -> TagMutability.IMMUTABLE;
            case IMMUTABLE_WITH_EXCLUSION -> matchesAny(filters, tag, false)
                    ? TagMutability.MUTABLE : TagMutability.IMMUTABLE;
            case MUTABLE_WITH_EXCLUSION -> matchesAny(filters, tag, true)
                    ? TagMutability.IMMUTABLE : TagMutability.MUTABLE;
            default -> {
                Log.warn("unknown image tag mutability setting; treating the tag as immutable",
                        "imageTagMutability", String.valueOf(setting));
                yield TagMutability.IMMUTABLE;
            }
        };
    }

    /** {@code unknownMatches}: how to read a filter of a type this SDK doesn't know — whichever keeps the tag fixed. */
    private static boolean matchesAny(List<ImageTagMutabilityExclusionFilter> filters, Tag tag,
                                      boolean unknownMatches) {
        for (ImageTagMutabilityExclusionFilter filter : filters) {
            if (filter.filterType() != ImageTagMutabilityExclusionFilterType.WILDCARD) {
                if (unknownMatches) {
                    return true;
                }
            } else if (filter.filter() != null && wildcardMatches(filter.filter(), tag.value())) {
                return true;
            }
        }
        return false;
    }

    /**
     * ECR's {@code WILDCARD} filter: the whole tag must match and {@code *} stands for any run of characters. Matched
     * segment by segment, leftmost first, which is exact for {@code *} and linear in the tag's length.
     */
    static boolean wildcardMatches(String pattern, String tag) {
        String[] segments = pattern.split("\\*", -1);
        if (segments.length == 1) {
            return pattern.equals(tag);
        }
        String first = segments[0];
        String last = segments[segments.length - 1];
        if (tag.length() < first.length() + last.length() || !tag.startsWith(first) || !tag.endsWith(last)) {
            return false;
        }
        int position = first.length();
        int limit = tag.length() - last.length();
        for (int i = 1; i < segments.length - 1; i++) {
            int found = tag.indexOf(segments[i], position);
            if (found < 0 || found + segments[i].length() > limit) {
                return false;
            }
            position = found + segments[i].length();
        }
        return true;
    }
}
