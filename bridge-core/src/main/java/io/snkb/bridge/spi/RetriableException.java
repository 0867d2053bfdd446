package io.snkb.bridge.spi;

/**
 * Thrown by an SPI implementation when the operation failed for a reason that may pass (a network
 * error, a timeout, a busy backend). The engine retries the same operation later, with backoff, and
 * never skips the work it was doing.
 */
public class RetriableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RetriableException(String message) {
        super(message);
    }

    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
