package dev.ecrdigestguard.image;

import dev.ecrdigestguard.guard.Guard;

/** Breaks the layering on purpose (a value type using the use case), so ArchitectureTest can show it fails. */
public final class UpwardDependencyFixture {

    Guard guard;
}
