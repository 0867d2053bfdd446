package io.snkb.bridge.spi;

/**
 * The instance or its token endpoint refused the configured credentials. Fatal for the instance until
 * the configuration changes; the message names the instance and the kind of credential, never a secret.
 */
public class AuthenticationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
