package io.snkb.bridge.internal.source;

import io.snkb.bridge.spi.ChangeEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns rows of {@code sys_audit_delete} into delete events. The row's {@code documentkey} is the deleted
 * row's {@code sys_id}; its {@code payload} is an XML {@code record_update} document with the fields the
 * deleted row had, which become the event's {@code before} (every value a string: XML cannot tell
 * {@code null} from {@code ""}, both arrive as {@code ""}). Stateless and thread-safe.
 */
final class AuditRecords {
    static final String READ_MODE = "audit";
    private static final Logger LOG = LoggerFactory.getLogger(AuditRecords.class);
    private static final XMLInputFactory XML = secureFactory();

    private AuditRecords() {
    }

    /** The delete event of an audit row read at {@code deletedAt} (its {@code sys_created_on}). */
    static ChangeEvent deleteOf(String instance, String table, Map<String, String> audit, Instant deletedAt) {
        String sysId = audit.get("documentkey");
        Map<String, String> before = new LinkedHashMap<>(payloadFields(audit.get("payload"), audit.get("sys_id")));
        before.putIfAbsent("sys_id", sysId);
        ChangeEvent.SourceInfo source = new ChangeEvent.SourceInfo(instance, table, before.get("sys_updated_on"),
                before.get("sys_mod_count"), READ_MODE);
        return ChangeEvent.delete(sysId, before, source, deletedAt);
    }

    /**
     * The fields of the deleted row in {@code payload}: the children of the element inside
     * {@code record_update}. An unreadable payload gives what was read before the problem; the delete event
     * is sent all the same, since the key is what matters to compaction.
     */
    static Map<String, String> payloadFields(String payload, String auditSysId) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (payload == null || payload.isBlank()) {
            return fields;
        }
        try {
            XMLStreamReader xml = XML.createXMLStreamReader(
                    new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), "UTF-8");
            readFields(xml, fields);
            xml.close();
        } catch (XMLStreamException e) {
            LOG.debug("The payload of audit row {} is not readable XML: {}", auditSysId, e.getMessage());
        }
        return fields;
    }

    /** Depth 1 is {@code record_update}, depth 2 the table's element, depth 3 its fields. */
    private static void readFields(XMLStreamReader xml, Map<String, String> fields) throws XMLStreamException {
        int depth = 0;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (depth == 3) {
                    fields.put(xml.getLocalName(), xml.getElementText());
                    depth--;
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private static XMLInputFactory secureFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // Payloads come from the network: no DTDs, no external entities.
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory;
    }
}
