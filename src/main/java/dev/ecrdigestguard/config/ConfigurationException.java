package dev.ecrdigestguard.config;

/** A setting is missing or wrong; the message names the variable and the value. Start-up stops on it. */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }
}
