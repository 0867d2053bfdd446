package io.snkb.testkit.servicenow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** Builds ServiceNow's canned responses: the error envelope and the HTML pages of outages. Stateless. */
final class Responses {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Responses() {
    }

    /** {@code {"error":{"message":..,"detail":..},"status":"failure"}}; a null detail is written as null. */
    static Reply error(int status, String message, String detail) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("detail", detail);
        root.put("status", "failure");
        return Reply.json(status, bytes(root));
    }

    static Reply notAuthenticated() {
        return error(401, "User Not Authenticated", "Required to provide Auth information")
                .header("WWW-Authenticate", "BASIC realm=\"Service-now\"");
    }

    static Reply noRecord() {
        return error(404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval");
    }

    static Reply invalidTable(String table) {
        return error(400, "Invalid table " + table, null);
    }

    static Reply invalidJson() {
        return error(400, "Exception while reading request", "The payload is not valid JSON.");
    }

    static Reply transactionCancelled() {
        String message = "Transaction cancelled: maximum execution time exceeded";
        return error(500, message, message + " Check logs for error trace or enable glide.rest.debug property to"
                + " verify REST request processing");
    }

    static Reply hibernating() {
        return Reply.html(200, "<!DOCTYPE html><html><head><title>Instance Hibernating page</title></head>"
                + "<body><h1>Your instance is hibernating</h1><p>This developer instance is asleep because it was"
                + " not used for a while. Sign in to the developer portal to wake it up.</p></body></html>");
    }

    static Reply badGateway() {
        return Reply.html(502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad"
                + " Gateway</h1></center><hr><center>proxy</center></body></html>");
    }

    static Reply serviceUnavailable() {
        return Reply.html(503, "<html><head><title>503 Service Unavailable</title></head><body><center><h1>503"
                + " Service Unavailable</h1></center></body></html>");
    }

    static byte[] bytes(Object node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
