package io.snkb.bridge.internal.source;

import io.snkb.bridge.config.TableConfig;
import io.snkb.bridge.internal.servicenow.AuthenticationFailedException;
import io.snkb.bridge.internal.servicenow.FatalServiceNowException;
import io.snkb.bridge.internal.servicenow.RetryingReader;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.internal.servicenow.TableRead;
import io.snkb.bridge.spi.Position;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A periodic reconciliation pass of one table: compares {@code sys_id} and {@code sys_mod_count} of the rows
 * ServiceNow holds with a {@code sys_updated_on} in the reconciled span (from {@code reconcile-range} behind the
 * cursor, or from where {@link SentVersions} starts knowing, up to the cursor) with what was sent, and
 *
 * <ul>
 *   <li>sends again, in full, a row whose mod count differs from the one sent, or that was never sent: a change
 *       that did not touch {@code sys_updated_on} (a script with {@code autoSysFields(false)} that still counts
 *       the modification), or a row committed later than the re-read window reaches;</li>
 *   <li>sends a delete for a row that was sent but is gone from ServiceNow without an audit record, after
 *       asking for it by {@code sys_id} (a row merely updated past the cursor since is still there) and, when
 *       the table's deletes are read, in {@code sys_audit_delete} (whose delete the delete stream sends).</li>
 * </ul>
 *
 * <p>Only {@code sys_id, sys_mod_count, sys_updated_on} are read over the span, in keyset pages; full rows only
 * for those sent again. A change that leaves {@code sys_mod_count} untouched as well cannot be seen this way.
 * Not thread-safe: runs on its table's poller thread.
 */
final class Reconciler {
    static final String READ_MODE = "reconcile";
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final List<String> KEY_FIELDS = List.of("sys_id", "sys_mod_count", "sys_updated_on");
    private static final List<String> AUDIT_FIELDS = List.of("documentkey", "sys_id", "sys_created_on");
    /** Rows asked for by {@code sys_idIN}: short enough for any URL limit. */
    private static final int BATCH = 100;

    /** Where differences go: the poller sends the events. */
    interface Emitter {
        /** Sends {@code row}, read in full, again. */
        void resend(Map<String, String> row);

        /** Sends the delete of a row last sent as {@code last}. */
        void gone(String sysId, SentVersions.Sent last);
    }

    private final String instance;
    private final TableConfig table;
    private final RetryingReader reader;
    private final TableProgress progress;
    private final Clock clock;
    private final SentVersions sent;
    private final List<String> fields;
    private final AdaptivePages pages;
    private final HiddenPages hiddenPages;
    private final Predicate<Map<String, String>> sentByDeletes;
    private Instant nextPass;

    /**
     * @param sentByDeletes whether the table's delete stream will still send the delete of an audit row, or
     *                      {@code null} when its deletes are not read
     */
    Reconciler(String instance, TableConfig table, RetryingReader reader, TableProgress progress, Clock clock,
               SentVersions sent, Predicate<Map<String, String>> sentByDeletes) {
        this.sentByDeletes = sentByDeletes;
        this.instance = instance;
        this.table = table;
        this.reader = reader;
        this.progress = progress;
        this.clock = clock;
        this.sent = sent;
        this.fields = TableRead.withCursorFields(table.fields());
        this.nextPass = clock.instant().plus(table.reconcileInterval());
        this.pages = new AdaptivePages(instance, table.pageSize());
        this.hiddenPages = new HiddenPages(instance, reader, table.name(), KEY_FIELDS, pages,
                () -> Thread.currentThread().isInterrupted());
    }

    /** Whether a pass is due now. */
    boolean due() {
        return !clock.instant().isBefore(nextPass);
    }

    /** Runs one pass up to {@code cursor}, with query dates in {@code zone}. */
    void run(Position cursor, ZoneId zone, Emitter emitter) throws InterruptedException {
        nextPass = clock.instant().plus(table.reconcileInterval());
        Instant to = cursor.updatedOn();
        Instant from = to.minus(table.reconcileRange());
        sent.pruneBefore(from);
        if (sent.coveredFrom() != null && sent.coveredFrom().isAfter(from)) {
            from = sent.coveredFrom();
        }
        if (from.isAfter(to)) {
            return;
        }
        Map<String, SentVersions.Sent> unseen = sent.between(from, to);
        long changed = compare(from, to, zone, unseen, emitter);
        long gone = deleteGone(unseen, emitter);
        progress.metrics().reconciliationDifferences("changed", changed);
        progress.metrics().reconciliationDifferences("deleted", gone);
        String span = ServiceNowTime.format(from) + " to " + ServiceNowTime.format(to);
        if (changed + gone > 0) {
            LOG.info("Reconciliation of {}/{} from {} sent {} changed rows again and {} deletes", instance,
                    table.name(), span, changed, gone);
        } else {
            LOG.debug("Reconciliation from {} found no difference", span);
        }
    }

    /** Reads the span's keys; sends again what differs; leaves in {@code unseen} what was not found. */
    private long compare(Instant from, Instant to, ZoneId zone, Map<String, SentVersions.Sent> unseen,
                         Emitter emitter) throws InterruptedException {
        KeysetScan keyset = new KeysetScan("sys_updated_on", table.query(),
                row -> RowEvents.positionOf(instance, table.name(), row), new LatestStamp(), null);
        String query = keyset.start(zone, from, to);
        List<String> differing = new ArrayList<>();
        long changed = 0;
        while (query != null) {
            List<Map<String, String>> rows = pages.read(reader, table.name(), query, KEY_FIELDS);
            if (rows.isEmpty()) {
                // Not counted as hidden rows: the polls that read the same span count them.
                rows = hiddenPages.after(query).rows();
            }
            for (Map<String, String> row : keyset.advance(rows)) {
                String sysId = row.get("sys_id");
                unseen.remove(sysId);
                if (differs(row, sent.get(sysId))) {
                    differing.add(sysId);
                }
            }
            if (differing.size() >= BATCH) {
                changed += resend(differing, emitter);
            }
            query = keyset.query();
        }
        return changed + resend(differing, emitter);
    }

    private static boolean differs(Map<String, String> row, SentVersions.Sent last) {
        return last == null || !String.valueOf(row.get("sys_mod_count")).equals(String.valueOf(last.modCount()));
    }

    private long resend(List<String> sysIds, Emitter emitter) throws InterruptedException {
        long resent = 0;
        for (List<String> batch : batches(sysIds)) {
            List<Map<String, String>> rows = readByIds(batch, fields);
            rows.forEach(emitter::resend);
            resent += rows.size();
        }
        sysIds.clear();
        return resent;
    }

    /**
     * Deletes the rows sent in the span that ServiceNow no longer has at all, except those with an audit record:
     * a row deleted since this cycle read {@code sys_audit_delete} gets its delete from there at the next poll,
     * and sending one here as well would send it twice.
     */
    private long deleteGone(Map<String, SentVersions.Sent> unseen, Emitter emitter) throws InterruptedException {
        long gone = 0;
        for (List<String> batch : batches(new ArrayList<>(unseen.keySet()))) {
            Set<String> present = readByIds(batch, List.of("sys_id")).stream().map(r -> r.get("sys_id"))
                    .collect(Collectors.toSet());
            List<String> missing = batch.stream().filter(sysId -> !present.contains(sysId)).toList();
            Set<String> audited = audited(missing);
            for (String sysId : missing) {
                if (!audited.contains(sysId)) {
                    emitter.gone(sysId, unseen.get(sysId));
                    gone++;
                }
            }
        }
        return gone;
    }

    /** Which of {@code sysIds} have a delete audit record that the table's delete stream has yet to send. */
    private Set<String> audited(List<String> sysIds) throws InterruptedException {
        if (sentByDeletes == null || sysIds.isEmpty()) {
            return Set.of();
        }
        String query = "tablename=" + table.name() + "^documentkeyIN" + String.join(",", sysIds);
        try {
            return reader.read(new TableRead(DeleteStream.AUDIT_TABLE, query, AUDIT_FIELDS,
                    Math.max(table.pageSize(), sysIds.size()))).stream().filter(sentByDeletes)
                    .map(r -> r.get("documentkey")).collect(Collectors.toSet());
        } catch (AuthenticationFailedException e) {
            throw e;
        } catch (FatalServiceNowException e) {
            LOG.debug("Cannot read {} for rows gone from {}/{}; they are deleted here: {}", DeleteStream.AUDIT_TABLE,
                    instance, table.name(), e.getMessage());
            return Set.of();
        }
    }

    private List<Map<String, String>> readByIds(List<String> sysIds, List<String> readFields)
            throws InterruptedException {
        String query = "sys_idIN" + String.join(",", sysIds) + "^ORDERBYsys_id";
        return reader.read(new TableRead(table.name(), query, readFields, sysIds.size()));
    }

    private static List<List<String>> batches(List<String> sysIds) {
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < sysIds.size(); i += BATCH) {
            batches.add(List.copyOf(sysIds.subList(i, Math.min(sysIds.size(), i + BATCH))));
        }
        return batches;
    }
}
