package dev.ecrdigestguard.finding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.testing.Reports;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NextStepTest {

    private static final RepositoryName REPOSITORY = RepositoryName.of("shop-api");

    @Test
    void distinct_keepsEachStepOnce_inTheOrderFirstSuggested() {
        NextStep retag = new NextStep.Retag(REPOSITORY, Tag.of("tag-1-253-0"));
        NextStep separate = new NextStep.Advice("Keep releases apart.");

        List<NextStep> steps = NextStep.distinct(List.of(retag, separate, new NextStep.Retag(REPOSITORY,
                Tag.of("tag-1-253-0")), NextStep.UNIQUE_BUILDS, separate, NextStep.UNIQUE_BUILDS));

        assertThat(steps).containsExactly(retag, separate, NextStep.UNIQUE_BUILDS);
    }

    @Test
    void distinct_mergesCountChangesOfOneRule_keepingTheLargerCount() {
        NextStep six = new NextStep.RaiseCount(1, Optional.of("Keep last 5"), 6, Optional.empty());
        NextStep seven = new NextStep.RaiseCount(1, Optional.of("Keep last 5"), 7, Optional.of("keeps the last 5"));
        NextStep otherRule = new NextStep.RaiseCount(2, Optional.empty(), 3, Optional.empty());

        assertThat(NextStep.distinct(List.of(six, otherRule, seven))).containsExactly(seven, otherRule);
        assertThat(NextStep.distinct(List.of(seven, six))).containsExactly(seven);
    }

    @Test
    void writeUpScenario_suggestsTheRetagOnce_althoughThreeFindingsSuggestIt() {
        List<NextStep> suggested = new ArrayList<>();
        Reports.writeUp().findings().forEach(finding -> suggested.addAll(finding.nextSteps()));

        List<NextStep> steps = NextStep.distinct(suggested);

        assertThat(suggested).filteredOn(NextStep.Retag.class::isInstance).hasSize(3);
        assertThat(steps).filteredOn(NextStep.Retag.class::isInstance).hasSize(1);
        assertThat(steps).filteredOn(NextStep.RaiseCount.class::isInstance).singleElement()
                .extracting(step -> ((NextStep.RaiseCount) step).atLeast()).isEqualTo(6);
        assertThat(steps).extracting(NextStep::text).doesNotHaveDuplicates();
    }
}
