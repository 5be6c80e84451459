package dev.ecrdigestguard.cli;

/** How a command prints its result: for people, or one JSON object for scripts. */
public enum OutputFormat { text, json, table }
