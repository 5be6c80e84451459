package dev.ecrdigestguard.testing;

import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.guard.RiskRecord;
import dev.ecrdigestguard.guard.RiskRegister;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The register of releases at risk in memory, with its conditional writes, for the core's tests (DynamoDB: IT). */
public final class InMemoryRiskRegister implements RiskRegister {

    private final Map<String, Map<String, RiskRecord>> records = new LinkedHashMap<>();

    private Map<String, RiskRecord> of(RepositoryLocation repository) {
        return records.computeIfAbsent(repository.toString(), key -> new LinkedHashMap<>());
    }

    @Override
    public synchronized List<RiskRecord> atRisk(RepositoryLocation repository) {
        return new ArrayList<>(of(repository).values());
    }

    @Override
    public synchronized boolean claim(RepositoryLocation repository, Optional<RiskRecord> expected,
                                      RiskRecord record) {
        RiskRecord held = of(repository).get(record.key());
        boolean unchanged = expected.isEmpty() ? held == null
                : held != null && held.lastAlertedAt().equals(expected.get().lastAlertedAt());
        if (unchanged) {
            of(repository).put(record.key(), record);
        }
        return unchanged;
    }

    @Override
    public synchronized boolean forget(RepositoryLocation repository, RiskRecord expected) {
        RiskRecord held = of(repository).get(expected.key());
        if (held == null || !held.lastAlertedAt().equals(expected.lastAlertedAt())) {
            return false;
        }
        of(repository).remove(expected.key());
        return true;
    }

    @Override
    public synchronized void remember(RepositoryLocation repository, RiskRecord record) {
        RiskRecord held = of(repository).get(record.key());
        of(repository).put(record.key(), held == null ? record : new RiskRecord(record.digest(),
                record.rulePriority(), record.productionTags(), record.ruleDescription(), record.outcome(),
                record.dueAt(), held.firstFoundAt(), record.lastAlertedAt()));
    }
}
