package io.snkb.bridge.spi;

/**
 * Supplies the credentials of every request to one ServiceNow instance.
 *
 * <p>The engine calls {@link #authorization()} before each HTTP request, from any of its worker
 * threads at once, so implementations must be thread-safe; the call may block while a token is obtained
 * or refreshed, and should let concurrent callers share one refresh. {@link #rejected(String)} is called
 * when the instance answered 401 to a request made with the given header value.
 *
 * <p>A {@link RetriableException} (the token endpoint is down or slow) makes the engine retry the request
 * later. {@link AuthenticationException} means the credentials themselves were refused: the engine marks
 * the instance's tables as retrying and tries again only after a pause that grows with each refusal.
 * Implementations must never put a secret into an exception message or a log line.
 *
 * <p>The engine owns the provider passed to it and closes it.
 */
public interface TokenProvider extends AutoCloseable {

    /** The full value of the {@code Authorization} header, e.g. {@code Basic dXNlcjpwdw==}. */
    String authorization();

    /**
     * Told that the instance refused {@code authorizationValue} with 401. A provider that can obtain a
     * new token should make the next {@link #authorization()} return a different one; a provider with a
     * fixed credential (Basic) throws {@link AuthenticationException}.
     */
    void rejected(String authorizationValue);

    /** A short description for logs and status, without any secret, e.g. {@code basic as snkb.user}. */
    String describe();

    @Override
    default void close() {
    }
}
