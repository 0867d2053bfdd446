package io.snkb.bridge.config;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * One validation of a bound value: what the reference documentation says about it, the test, and the
 * reason given when it fails. Immutable.
 *
 * @param doc    for the reference, e.g. {@code 1 to 10000}
 * @param test   whether a value passes
 * @param reason why a value failed, e.g. {@code must be from 1 to 10000}
 * @param <T>    the bound value's type
 */
record Rule<T>(String doc, Predicate<? super T> test, String reason) {

    Rule {
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(reason, "reason");
    }
}
