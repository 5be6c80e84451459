package dev.ecrdigestguard.config;

import dev.ecrdigestguard.text.Echo;
import java.util.regex.Pattern;

/** An SNS topic ARN, checked before it reaches the API: {@code arn:<partition>:sns:<region>:<account>:<name>}. */
public record TopicArn(String value) {

    private static final Pattern ARN =
            Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");

    public TopicArn {
        if (value == null || !ARN.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + Echo.of(value) + "' is not an SNS topic ARN "
                    + "(expected arn:aws:sns:<region>:<12-digit account>:<topic name>)");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
