package io.snkb.bridge.internal.source;

import io.snkb.bridge.DeleteCapture;
import io.snkb.bridge.config.TableConfig;
import io.snkb.bridge.internal.kafka.EventProducer;
import io.snkb.bridge.internal.servicenow.AuthenticationFailedException;
import io.snkb.bridge.internal.servicenow.FatalServiceNowException;
import io.snkb.bridge.internal.servicenow.RetriableServiceNowException;
import io.snkb.bridge.internal.servicenow.RetryingReader;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.internal.servicenow.TableRead;
import io.snkb.bridge.spi.ChangeEvent;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import io.snkb.bridge.spi.Serializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one table's entries in {@code sys_audit_delete} ({@code tablename=<table>}) as a keyset on
 * {@code sys_created_on, sys_id} with its own stored position (stream {@value #STREAM}), and sends for each a
 * delete event keyed by the deleted row's {@code sys_id}, followed by a tombstone when configured.
 *
 * <p>Delivery is as for the table's rows: the position moves past an audit row only once Kafka acknowledged
 * its events and every earlier one; a re-read window behind the cursor catches audit rows committed late, and
 * a bounded cache suppresses what was sent already. When {@code sys_audit_delete} cannot be read (ACL, no such
 * table, a refused query) the table keeps polling its rows: the problem is logged at WARN once, shown in
 * status and health as {@link DeleteCapture#NOT_CAPTURED}, and reading is tried again every
 * {@link #RETRY_UNREADABLE}.
 *
 * <p>Not thread-safe: runs on its table's poller thread; {@link #committable()} is read by the position
 * writer and only touches the thread-safe tracker.
 */
final class DeleteStream {
    static final String STREAM = "deletes";
    static final String AUDIT_TABLE = "sys_audit_delete";
    static final Duration RETRY_UNREADABLE = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(DeleteStream.class);
    private static final List<String> FIELDS =
            List.of("sys_id", "sys_created_on", "tablename", "documentkey", "payload");

    private final String instance;
    private final TableConfig table;
    private final RetryingReader reader;
    private final EventProducer producer;
    private final Serializer serializer;
    private final TableProgress progress;
    private final Clock clock;
    private final DedupeCache emitted;
    private final String auditQuery;
    private final SentVersions sentVersions;
    private final AdaptivePages pages;
    private final HiddenPages hiddenPages;
    private volatile AckTracker tracker;
    private final KeysetScan keyset;
    private Position readPosition;
    private Instant nextAttempt;

    DeleteStream(String instance, TableConfig table, RetryingReader reader, EventProducer producer,
                 Serializer serializer, TableProgress progress, PositionWriter positions, PollerSettings settings,
                 Clock clock, Position stored, SentVersions sentVersions, LatestStamp stamps) {
        this.sentVersions = sentVersions;
        this.pages = new AdaptivePages(instance, table.pageSize());
        this.hiddenPages = new HiddenPages(instance, reader, AUDIT_TABLE, FIELDS, pages,
                () -> Thread.currentThread().isInterrupted());
        this.instance = instance;
        this.table = table;
        this.reader = reader;
        this.producer = producer;
        this.serializer = serializer;
        this.progress = progress;
        this.clock = clock;
        this.emitted = new DedupeCache(settings.dedupeCapacity());
        this.auditQuery = "tablename=" + table.name();
        progress.storedDeletesPosition(stored);
        this.keyset = new KeysetScan("sys_created_on", auditQuery, this::positionOf, stamps, stored);
        restartFrom(stored);
        positions.register(new PositionKey(instance, table.name(), STREAM), this::committable,
                progress::storedDeletesPosition, progress::storedDeletesPosition);
    }

    Position committable() {
        return keyset.cap(() -> tracker.committable());
    }

    boolean awaitInFlight(Duration timeout) throws InterruptedException {
        return tracker.awaitAcknowledged(timeout);
    }

    /**
     * Reads every new audit row and sends its events, unless the audit table was found unreadable less than
     * {@link #RETRY_UNREADABLE} ago; returns how many deletes were sent. Retriable failures and refused
     * credentials are thrown, as for the table's own reads.
     */
    long poll(ZoneId zone, Duration ackWait) throws InterruptedException {
        if (nextAttempt != null && clock.instant().isBefore(nextAttempt)) {
            return 0;
        }
        try {
            long sent = readPages(zone);
            finish(ackWait);
            if (readPosition == null && hiddenPages.hiddenAtEnd() > 0) {
                unreadable("instance '" + instance + "': " + AUDIT_TABLE + " holds " + hiddenPages.hiddenAtEnd()
                        + " rows of " + table.name() + " but row-level ACLs hide every one of them from the "
                        + "integration user");
                return sent;
            }
            captured();
            return sent;
        } catch (AuthenticationFailedException | SerializerFailedException e) {
            throw e;
        } catch (FatalServiceNowException e) {
            unreadable(e.getMessage());
            return 0;
        }
    }

    /**
     * Reads one audit row of the table before its first poll, so that an unreadable {@code sys_audit_delete} is
     * reported at start-up: the poll reads deletes only after the table's rows, which for a table with a large
     * backlog can take hours. Any other failure is left to the poll, which meets it again.
     */
    void check() throws InterruptedException {
        try {
            reader.read(new TableRead(AUDIT_TABLE, auditQuery, List.of("sys_id"), 1));
            if (progress.deletes() == DeleteCapture.PENDING) {
                progress.deletes(DeleteCapture.CAPTURED, null);
            }
        } catch (AuthenticationFailedException e) {
            LOG.debug("Checking {} for {} met refused credentials; the poll retries", AUDIT_TABLE, table.name());
        } catch (FatalServiceNowException e) {
            unreadable(e.getMessage());
        } catch (RetriableServiceNowException e) {
            LOG.debug("Checking {} for {} failed for now: {}", AUDIT_TABLE, table.name(), e.getMessage());
        }
    }

    private long readPages(ZoneId zone) throws InterruptedException {
        Instant lowerBound = readPosition == null ? null : readPosition.updatedOn().minus(table.rereadWindow());
        String query = keyset.start(zone, lowerBound);
        emitted.pruneBefore(keyset.lowerBound());
        long sent = 0;
        while (query != null && !Thread.currentThread().isInterrupted()) {
            List<Map<String, String>> rows = pages.read(reader, AUDIT_TABLE, query, FIELDS);
            if (rows.isEmpty()) {
                // Audit rows the user may not see are not counted as the table's hidden rows.
                rows = hiddenPages.after(query).rows();
            }
            for (Map<String, String> row : keyset.advance(rows)) {
                sent += handle(row, positionOf(row)) ? 1 : 0;
                // A refused record ends the page: while Kafka is away each further send would block too.
                throwIfSendFailed();
            }
            query = keyset.query();
        }
        return sent;
    }

    private void finish(Duration ackWait) throws InterruptedException {
        tracker.awaitAcknowledged(ackWait);
        throwIfSendFailed();
    }

    private boolean handle(Map<String, String> audit, Position position) {
        if (readPosition == null || position.isAfter(readPosition)) {
            readPosition = position;
        }
        DedupeCache.Version version = new DedupeCache.Version(audit.get("sys_created_on"), null);
        boolean done = emitted.contains(position.sysId(), version);
        emitted.remember(position.sysId(), version, position.updatedOn());
        String deleted = audit.get("documentkey");
        if (done || deleted == null || deleted.isEmpty()) {
            return false;
        }
        LOG.trace("Sending the delete of row {} (audit row {})", deleted, position.sysId());
        send(AuditRecords.deleteOf(instance, table.name(), audit, position.updatedOn()), position);
        if (sentVersions != null) {
            // Deleted downstream now: reconciliation must not report it gone again.
            sentVersions.deleted(deleted);
        }
        return true;
    }

    private void send(ChangeEvent event, Position position) {
        byte[] value;
        try {
            value = serializer.serialize(event);
        } catch (RuntimeException e) {
            progress.addFailed();
            throw new SerializerFailedException(instance, table.name(), event.sysId(), e);
        }
        AckTracker.Pending delete = tracker.register(position);
        AckTracker.Pending tombstone = table.tombstones() ? tracker.register(position) : null;
        try {
            producer.send(table.topic(), event, value, serializer.contentType(), (metadata, error) -> {
                progress.settled(delete, error);
                if (error == null) {
                    progress.addDeleted();
                }
            });
            if (tombstone != null) {
                producer.sendTombstone(table.topic(), event.source(), event.sysId(),
                        (metadata, error) -> progress.settled(tombstone, error));
            }
        } catch (RuntimeException e) {
            delete.failed(e);
            if (tombstone != null) {
                tombstone.failed(e);
            }
            progress.addFailed();
            if (e instanceof org.apache.kafka.common.errors.InterruptException) {
                throw e;
            }
        }
    }

    private void throwIfSendFailed() {
        Throwable failure = tracker.failure();
        if (failure != null) {
            throw new SendFailedException("Instance '" + instance + "', table '" + table.name() + "': Kafka did "
                    + "not accept a delete event for topic " + table.topic() + ": " + failure
                    + "; reading deletes again from the last acknowledged position", failure);
        }
    }

    /**
     * Whether this stream will still read and send the delete of {@code audit}, an audit row read elsewhere: the
     * audit table is readable and the stream has not read past that row yet.
     */
    boolean willSend(Map<String, String> audit) {
        if (nextAttempt != null || progress.deletes() == DeleteCapture.NOT_CAPTURED) {
            return false;
        }
        return readPosition == null || positionOf(audit).isAfter(readPosition);
    }

    /** Starts over from the last position Kafka fully acknowledged, as after a restart. */
    void restartFromAcknowledged(Duration wait) throws InterruptedException {
        tracker.awaitSettled(wait);
        restartFrom(committable());
    }

    private void restartFrom(Position position) {
        tracker = new AckTracker(position);
        keyset.restart(position);
        readPosition = position;
        // As for the table's rows: the re-read window behind the position is sent again, since an audit row
        // committed late behind it while the bridge was down cannot be told from one sent.
        emitted.clear();
    }

    private Position positionOf(Map<String, String> audit) {
        String sysId = audit.get("sys_id");
        String createdOn = audit.get("sys_created_on");
        if (sysId == null || sysId.isEmpty() || createdOn == null || createdOn.isEmpty()) {
            throw new FatalServiceNowException(instance, AUDIT_TABLE, 200, "an audit row lacks sys_id or "
                    + "sys_created_on; the integration user needs read access to both", null);
        }
        return new Position(ServiceNowTime.parse(createdOn), sysId);
    }

    private void unreadable(String cause) {
        nextAttempt = clock.instant().plus(RETRY_UNREADABLE);
        String problem = AUDIT_TABLE + " cannot be read, so deletes of " + table.name() + " are not captured: "
                + cause;
        if (progress.deletes() != DeleteCapture.NOT_CAPTURED) {
            LOG.warn("Instance '{}', table '{}': {}; trying again every {} min. Grant the integration user read "
                    + "access to {}, or set deletes: false for the table", instance, table.name(), problem,
                    RETRY_UNREADABLE.toMinutes(), AUDIT_TABLE);
        }
        progress.deletes(DeleteCapture.NOT_CAPTURED, problem);
    }

    private void captured() {
        if (progress.deletes() == DeleteCapture.NOT_CAPTURED) {
            LOG.info("Instance '{}', table '{}': deletes are captured again", instance, table.name());
        }
        nextAttempt = null;
        progress.deletes(DeleteCapture.CAPTURED, null);
    }
}
