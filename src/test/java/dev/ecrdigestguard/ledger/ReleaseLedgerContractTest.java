package dev.ecrdigestguard.ledger;

import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.testing.InMemoryLedger;
import dev.ecrdigestguard.testing.ReleaseLedgerContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's contract held by the command line's file and by the core tests' fake (DynamoDB: LedgerTableIT). */
class ReleaseLedgerContractTest {

    @Nested
    class JsonFile extends ReleaseLedgerContract {
        @TempDir
        Path dir;
        int files;

        @Override
        protected ReleaseLedger ledger() {
            return new JsonFileLedger(dir.resolve("ledger-" + (++files) + ".json"));
        }
    }

    @Nested
    class InMemory extends ReleaseLedgerContract {
        @Override
        protected ReleaseLedger ledger() {
            return new InMemoryLedger();
        }
    }
}
