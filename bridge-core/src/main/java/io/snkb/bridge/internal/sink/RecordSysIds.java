package io.snkb.bridge.internal.sink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The {@code sys_id} the sink gives a row it creates for a record that names none: 32 hexadecimal digits, like
 * ServiceNow's own, digested from the record's topic, partition and offset, timestamp, key and value. A record
 * delivered again after a crash or a rebalance has all of these unchanged, so its create asks for the same
 * {@code sys_id}: the row its first delivery made is found, or the instance refuses the second insert of that
 * primary key. Timestamp, key and value tell apart the records of a topic deleted and created again, whose
 * offsets start over. A dead letter sent back by a replay gets a new offset and so a new {@code sys_id}.
 *
 * <p>Stateless and thread-safe.
 */
final class RecordSysIds {
    private static final HexFormat HEX = HexFormat.of();

    private RecordSysIds() {
    }

    static String of(ConsumerRecord<byte[], byte[]> record) {
        MessageDigest digest = sha256();
        update(digest, record.topic().getBytes(StandardCharsets.UTF_8));
        digest.update(ByteBuffer.allocate(20).putInt(record.partition()).putLong(record.offset())
                .putLong(record.timestamp()).array());
        update(digest, record.key());
        update(digest, record.value());
        byte[] hash = digest.digest();
        return HEX.formatHex(hash, 0, 16);
    }

    /** Length first, so that no two different records feed the digest the same bytes. */
    private static void update(MessageDigest digest, byte[] bytes) {
        int length = bytes == null ? -1 : bytes.length;
        digest.update(ByteBuffer.allocate(4).putInt(length).array());
        if (bytes != null) {
            digest.update(bytes);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
