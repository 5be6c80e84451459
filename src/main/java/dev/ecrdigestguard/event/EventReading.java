package dev.ecrdigestguard.event;

/** What an incoming event turned out to be: a push to act on, something to ignore, or input that makes no sense. */
public sealed interface EventReading {

    /** A successful tagged push: the guard acts on it. */
    record Push(PushEvent event) implements EventReading { }

    /** A successful tagged deletion: the guard checks whether a release was lost out of turn. */
    record Deletion(DeletionEvent event) implements EventReading { }

    /** A well-formed event the guard has no business with (an untagged child manifest, a storage class change, …). */
    record Ignored(String eventId, String reason) implements EventReading { }

    /** Input that can't be an ECR event; retrying it can't help. */
    record Malformed(String eventId, String reason) implements EventReading { }
}
