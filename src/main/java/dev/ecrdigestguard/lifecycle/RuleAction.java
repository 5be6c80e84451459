package dev.ecrdigestguard.lifecycle;

/** The {@code action.type} of a rule: delete the image, or move it to the archive storage class. */
public enum RuleAction {
    EXPIRE("expire"), TRANSITION("transition");

    private final String json;

    RuleAction(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
