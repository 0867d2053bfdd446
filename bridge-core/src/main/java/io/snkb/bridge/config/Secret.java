package io.snkb.bridge.config;

import java.util.Objects;

/**
 * A configuration value that must never be printed: passwords, client secrets, private keys. Its
 * {@link #toString()} hides the value; only {@link #reveal()} gives it, at the point of use.
 * Immutable and thread-safe.
 */
public final class Secret {
    private static final String MASK = "******";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret value itself; never log or print it. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
