package dev.ecrdigestguard.lifecycle;

/** The {@code selection.countType} of a rule: a count limit, or an age in days measured from some instant. */
public enum CountType {
    IMAGE_COUNT_MORE_THAN("imageCountMoreThan"),
    SINCE_IMAGE_PUSHED("sinceImagePushed"),
    SINCE_IMAGE_PULLED("sinceImagePulled"),
    SINCE_IMAGE_TRANSITIONED("sinceImageTransitioned");

    private final String json;

    CountType(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    /** The {@code since…} types take a {@code countUnit}; the count limit doesn't. */
    public boolean isAge() {
        return this != IMAGE_COUNT_MORE_THAN;
    }
}
