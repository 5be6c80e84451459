package dev.ecrdigestguard.lifecycle;

/** The {@code selection.tagStatus} of a rule. */
public enum TagStatus {
    TAGGED("tagged"), UNTAGGED("untagged"), ANY("any");

    private final String json;

    TagStatus(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
