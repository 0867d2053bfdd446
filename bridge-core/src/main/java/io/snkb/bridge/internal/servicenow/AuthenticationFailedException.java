package io.snkb.bridge.internal.servicenow;

/**
 * The instance refused the credentials, or the token provider could not supply any that would be accepted.
 * Retrying at once cannot help; the poller tries again after a growing pause, since passwords get reset and
 * token endpoints come back.
 */
public class AuthenticationFailedException extends FatalServiceNowException {
    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(String instance, String table, int httpStatus, String detail,
                                         Throwable cause) {
        super(instance, table, httpStatus, detail, cause);
    }
}
