package dev.ecrdigestguard.sweep;

import dev.ecrdigestguard.testing.InMemorySweepState;
import dev.ecrdigestguard.testing.SweepStateContract;

/** The fake the sweep's unit tests run on keeps the contract the DynamoDB table keeps (LedgerTableIT). */
class InMemorySweepStateTest extends SweepStateContract {

    @Override
    protected SweepState state() {
        return new InMemorySweepState();
    }
}
