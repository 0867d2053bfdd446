package io.snkb.bridge.config;

/** A scalar's text cannot become a value of its type; the message is the reason shown to the user. */
final class ValueException extends Exception {

    ValueException(String reason) {
        super(reason, null, false, false);
    }
}
