package dev.ecrdigestguard.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import dev.ecrdigestguard.aws.AccountCredentials;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.text.Echo;
import java.util.Optional;

/**
 * Who the function is, from the ARN the runtime says it was invoked by
 * ({@code arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]}): its account and partition, which spare
 * {@code AccountCredentials} a {@code GetCallerIdentity}, and its account and region, the registry the sweep starts
 * from. Kept from the latest invocation (an execution environment runs one at a time, always of the same function);
 * read when needed, so a push that needs neither never parses it.
 */
final class InvokedFunction {

    private static final String SHAPE = "arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]";

    private volatile String arn;

    /** What the function knows of itself from one ARN. */
    record Arn(AccountCredentials.Caller caller, AccountRegion registry) {

        /**
         * @throws IllegalArgumentException naming the ARN and what is wrong with it, when it is not a function's ARN
         */
        static Arn parse(String arn) {
            String[] fields = arn.split(":", -1);
            if (fields.length < 7 || fields.length > 8 || !fields[0].equals("arn") || !fields[2].equals("lambda")
                    || !fields[5].equals("function") || fields[6].isEmpty()) {
                throw invalid(arn, "not of the form " + SHAPE);
            }
            try {
                return new Arn(new AccountCredentials.Caller(fields[4], fields[1]),
                        AccountRegion.of(fields[4], fields[3]));
            } catch (IllegalArgumentException e) {
                throw invalid(arn, e.getMessage());
            }
        }

        private static IllegalArgumentException invalid(String arn, String why) {
            // The value checks below don't escape what they quote: the whole line is echoed here.
            return new IllegalArgumentException(Echo.of("the function's own ARN '" + arn
                    + "' (from the invocation's context) is unusable: " + why, Echo.LINE / 2));
        }
    }

    /** Notes the ARN of this invocation; without a context or an ARN in it (outside Lambda), keeps what it had. */
    void invokedBy(Context context) {
        if (context != null && context.getInvokedFunctionArn() != null) {
            arn = context.getInvokedFunctionArn();
        }
    }

    /**
     * The function's ARN, read; empty before any invocation with one.
     *
     * @throws IllegalArgumentException when it is not a function's ARN
     */
    Optional<Arn> arn() {
        String current = arn;
        return current == null ? Optional.empty() : Optional.of(Arn.parse(current));
    }

    /** The function's account and partition, for {@code AccountCredentials}; empty outside Lambda. */
    Optional<AccountCredentials.Caller> caller() {
        return arn().map(Arn::caller);
    }
}
