package io.snkb.testkit.servicenow;

import java.util.Map;

/**
 * Renders the {@code payload} of a {@code sys_audit_delete} row the way ServiceNow stores it: an XML
 * {@code record_update} document holding every field of the deleted record. Stateless.
 */
final class AuditPayload {

    private AuditPayload() {
    }

    static String xml(String table, Map<String, String> row) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><record_update table=\"").append(table).append("\">");
        sb.append('<').append(table).append('>');
        row.forEach((field, value) -> {
            sb.append('<').append(field).append('>');
            escape(value == null ? "" : value, sb);
            sb.append("</").append(field).append('>');
        });
        sb.append("</").append(table).append("></record_update>");
        return sb.toString();
    }

    private static void escape(String value, StringBuilder sb) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
    }
}
