package io.snkb.bridge.internal.sink;

import io.snkb.bridge.config.SinkTopicConfig;
import io.snkb.bridge.config.SinkTopicConfig.Operation;
import io.snkb.bridge.internal.metrics.SinkMetrics;
import io.snkb.bridge.internal.metrics.SinkMetrics.Write;
import io.snkb.bridge.internal.servicenow.AuthenticationFailedException;
import io.snkb.bridge.internal.servicenow.FatalServiceNowException;
import io.snkb.bridge.internal.servicenow.RetryingCalls;
import io.snkb.bridge.internal.servicenow.ServiceNowClient;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.spi.ConflictResolver;
import io.snkb.bridge.spi.ConflictResolver.Conflict;
import io.snkb.bridge.spi.ConflictResolver.Resolution;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link SinkEvent}s to one table as the topic's operation says, finding the target row by
 * {@code sys_id} or by the business key.
 *
 * <p>No duplicate creates: a create is preceded by a look-up of the row by its key, on every attempt,
 * so a create that ServiceNow committed but whose answer was lost (a timeout, a 502) is found instead of
 * made twice, whether it is retried here or the record is delivered again after a crash. A create asks for
 * the record's own {@code sys_id} when rows are found by {@code sys_id}, else for one derived from the record
 * ({@link RecordSysIds}), the same on every delivery. So an insert without a key (neither {@code key-fields}
 * nor a {@code sys_id}), which has nothing to look up first, is not repeated either: the instance refuses a
 * second row with that {@code sys_id}, and the writer finds the first.
 *
 * <p>Conflicts: before overwriting a row, the writer checks whether it changed in ServiceNow after the
 * event (its {@code sys_updated_on} is later than the event time, at ServiceNow's one-second precision)
 * through a write that is not the sink's own ({@link SinkWrites}); if so the topic's
 * {@link ConflictResolver} decides what is written.
 *
 * <p>At most as many writes as the topic's {@code concurrency} are under way at once, each holding a write
 * slot with its retries; look-ups hold none, so workers beyond {@code concurrency} look up their rows while
 * the slots wait for answers.
 *
 * <p>Thread-safe; the caller makes sure one row is written by one thread at a time.
 */
final class RowWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RowWriter.class);
    /** How an instance may refuse an insert whose {@code sys_id} exists already. */
    private static final Set<Integer> REFUSALS = Set.of(400, 403, 409);

    private final SinkTopicConfig topic;
    private final RetryingCalls calls;
    private final ServiceNowClient client;
    private final ConflictResolver resolver;
    private final SinkWrites writes;
    private final Reviews reviews;
    private final SinkMetrics metrics;
    private final Semaphore writeSlots;

    /** Where conflicts left for a person go. */
    @FunctionalInterface
    interface Reviews {
        void send(Conflict conflict, String reason) throws InterruptedException;
    }

    /** {@code writeSlots}: how many writes of the topic may be under way at once, shared by its workers. */
    RowWriter(SinkTopicConfig topic, RetryingCalls calls, ConflictResolver resolver, SinkWrites writes,
              Reviews reviews, SinkMetrics metrics, Semaphore writeSlots) {
        this.topic = topic;
        this.calls = calls;
        this.client = calls.client();
        this.resolver = resolver;
        this.writes = writes;
        this.reviews = reviews;
        this.metrics = metrics;
        this.writeSlots = writeSlots;
    }

    /**
     * Writes {@code event}; {@code attempts} counts the requests made. Throws
     * {@link RecordRejectedException} when the record cannot be written as it is, a retriable
     * {@link io.snkb.bridge.internal.servicenow.ServiceNowException} when retries ran out, and
     * {@link AuthenticationFailedException} when the credentials are refused.
     */
    Write write(SinkEvent event, AtomicInteger attempts) throws InterruptedException {
        try {
            if (event.delete() || topic.operation() == Operation.DELETE) {
                return delete(event, attempts);
            }
            Map<String, String> fields = ServiceNowClient.writableForUpdate(event.fields());
            return switch (topic.operation()) {
                case INSERT -> insert(event, fields, attempts);
                case UPDATE -> update(event, fields, attempts);
                default -> upsert(event, fields, attempts);
            };
        } catch (AuthenticationFailedException e) {
            throw e;
        } catch (FatalServiceNowException e) {
            throw new RecordRejectedException("ServiceNow refused the write: " + e.getMessage(), e.httpStatus(), e);
        }
    }

    private Write delete(SinkEvent event, AtomicInteger attempts) throws InterruptedException {
        Optional<Map<String, String>> row = find(event, attempts);
        if (row.isEmpty()) {
            LOG.trace("No row of {} to delete for {}", topic.table(), event.fields());
            return Write.UNCHANGED;
        }
        String sysId = row.get().get("sys_id");
        writes.writing(topic.instance(), topic.table(), sysId);
        boolean deleted = false;
        try {
            deleted = inWriteSlot(() -> client.delete(topic.table(), sysId), attempts);
        } finally {
            writes.settled(topic.instance(), topic.table(), sysId, null, deleted, event.isChangeEvent());
        }
        return Write.DELETED;
    }

    private Write insert(SinkEvent event, Map<String, String> fields, AtomicInteger attempts)
            throws InterruptedException {
        if (hasKey(event) && find(event, attempts).isPresent()) {
            return Write.UNCHANGED;
        }
        return create(event, fields, attempts);
    }

    private Write update(SinkEvent event, Map<String, String> fields, AtomicInteger attempts)
            throws InterruptedException {
        Map<String, String> row = find(event, attempts).orElseThrow(() -> new RecordRejectedException(
                "no row of " + topic.table() + " matches " + describeKey(event) + " to update"));
        return overwrite(row, event, fields, attempts);
    }

    private Write upsert(SinkEvent event, Map<String, String> fields, AtomicInteger attempts)
            throws InterruptedException {
        Optional<Map<String, String>> row = find(event, attempts);
        return row.isPresent() ? overwrite(row.get(), event, fields, attempts) : create(event, fields, attempts);
    }

    /** Updates an existing row, asking the resolver first when the row changed after the event. */
    private Write overwrite(Map<String, String> row, SinkEvent event, Map<String, String> fields,
                            AtomicInteger attempts) throws InterruptedException {
        String sysId = row.get("sys_id");
        if (!changedAfter(row, event)) {
            return patch(sysId, fields, event, attempts);
        }
        Conflict conflict = new Conflict(topic.instance(), topic.table(), sysId, row, fields, event.eventTime());
        Resolution resolution = resolver.resolve(conflict);
        metrics.conflict(resolution.decision().name());
        LOG.debug("Conflict on {}/{} row {}: {} ({})", topic.instance(), topic.table(), sysId,
                resolution.decision(), resolution.reason());
        switch (resolution.decision()) {
            case SKIP:
                return Write.UNCHANGED;
            case REVIEW:
                reviews.send(conflict, resolution.reason());
                return Write.UNCHANGED;
            default:
                Map<String, String> chosen = ServiceNowClient.writableForUpdate(resolution.fields());
                return chosen.isEmpty() ? Write.UNCHANGED : patch(sysId, chosen, event, attempts);
        }
    }

    private boolean changedAfter(Map<String, String> row, SinkEvent event) {
        if (writes.isOwn(topic.instance(), topic.table(), row.get("sys_id"), row.get("sys_mod_count"))) {
            return false;
        }
        Instant updated;
        try {
            updated = ServiceNowTime.parse(row.get("sys_updated_on"));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return updated.isAfter(event.eventTime().truncatedTo(ChronoUnit.SECONDS));
    }

    private Write patch(String sysId, Map<String, String> fields, SinkEvent event, AtomicInteger attempts)
            throws InterruptedException {
        writes.writing(topic.instance(), topic.table(), sysId);
        Optional<Map<String, String>> answer = Optional.empty();
        try {
            answer = inWriteSlot(() -> client.update(topic.table(), sysId, fields), attempts);
        } finally {
            writes.settled(topic.instance(), topic.table(), sysId,
                    answer.map(r -> r.get("sys_mod_count")).orElse(null), false, event.isChangeEvent());
        }
        Map<String, String> written = answer.orElseThrow(() -> new RecordRejectedException("row " + sysId
                + " of " + topic.table() + " disappeared before it could be updated", 404, null));
        requireKnownFields(fields, written);
        return Write.UPDATED;
    }

    /**
     * Creates the row with a {@code sys_id} chosen here (the event's, or the record's own), so that the row is
     * known before the answer is. Every attempt after the first looks for the row a lost answer may hide.
     */
    private Write create(SinkEvent event, Map<String, String> fields, AtomicInteger attempts)
            throws InterruptedException {
        Map<String, String> body = new LinkedHashMap<>(fields);
        boolean ownSysId = topic.keyFields().isEmpty() && event.sysId() != null;
        String sysId = ownSysId ? event.sysId() : event.recordSysId();
        body.put("sys_id", sysId);
        AtomicInteger tries = new AtomicInteger();
        Map<String, String> written = null;
        writes.writing(topic.instance(), topic.table(), sysId);
        try {
            written = inWriteSlot(() -> {
                if (tries.getAndIncrement() > 0) {
                    Optional<Map<String, String>> existing = hasKey(event) ? lookUp(event)
                            : client.get(topic.table(), sysId);
                    if (existing.isPresent()) {
                        LOG.debug("A create in {} whose answer was lost had succeeded: {}", topic.table(),
                                describeKey(event));
                        return existing.get();
                    }
                }
                return createOrFind(body, sysId);
            }, attempts);
        } finally {
            writes.settled(topic.instance(), topic.table(), sysId,
                    written == null ? null : written.get("sys_mod_count"), false, event.isChangeEvent());
        }
        requireKnownFields(ServiceNowClient.writableForUpdate(body), written);
        return Write.CREATED;
    }

    /**
     * One create attempt. The row may exist already: an earlier attempt whose answer was lost may have
     * committed after the look-up ran, or an earlier delivery of a record without a key made it. Then the
     * instance refuses this insert of the same {@code sys_id} (with a 403 "Operation Failed", or another
     * refusal), and the row is there.
     */
    private Map<String, String> createOrFind(Map<String, String> body, String sysId) throws InterruptedException {
        try {
            return client.create(topic.table(), body);
        } catch (FatalServiceNowException e) {
            if (e instanceof AuthenticationFailedException || !REFUSALS.contains(e.httpStatus())) {
                throw e;
            }
            Optional<Map<String, String>> existing = lookUpRefused(sysId, e);
            if (existing.isPresent()) {
                LOG.debug("Row {} of {} exists already; the create is done", sysId, topic.table());
                return existing.get();
            }
            throw e;
        }
    }

    /** The row a refused create may have been refused for; a look-up that fails too leaves the refusal. */
    private Optional<Map<String, String>> lookUpRefused(String sysId, FatalServiceNowException refusal)
            throws InterruptedException {
        try {
            return client.get(topic.table(), sysId);
        } catch (FatalServiceNowException e) {
            if (e instanceof AuthenticationFailedException) {
                throw e;
            }
            refusal.addSuppressed(e);
            return Optional.empty();
        }
    }

    /**
     * Runs a write, with its retries, once one of the topic's {@code concurrency} write slots is free. Look-ups
     * take no slot, so the next rows are looked up while the slots wait for ServiceNow's answers.
     */
    private <T> T inWriteSlot(RetryingCalls.Call<T> write, AtomicInteger attempts) throws InterruptedException {
        writeSlots.acquire();
        try {
            return calls.run(write, attempts);
        } finally {
            writeSlots.release();
        }
    }

    private Optional<Map<String, String>> find(SinkEvent event, AtomicInteger attempts) throws InterruptedException {
        if (!hasKey(event)) {
            return Optional.empty();
        }
        return calls.run(() -> lookUp(event), attempts);
    }

    /** One look-up attempt of the target row; the caller has checked that the event has a key. */
    private Optional<Map<String, String>> lookUp(SinkEvent event) throws InterruptedException {
        if (topic.keyFields().isEmpty()) {
            return client.get(topic.table(), event.sysId());
        }
        List<Map<String, String>> rows = client.find(topic.table(), keyQuery(event), 2);
        // ServiceNow drops a condition on a field the table does not have and answers with any rows at all;
        // writing one of those would overwrite an unrelated row.
        if (!rows.isEmpty() && !rows.get(0).keySet().containsAll(topic.keyFields())) {
            throw new RecordRejectedException("key fields " + topic.keyFields() + " are not all fields of "
                    + topic.table() + " (or not readable by the integration user): ServiceNow ignores a query "
                    + "condition on an unknown field, so no row can be found by them");
        }
        List<Map<String, String>> matching = rows.stream().filter(row -> matchesKey(row, event)).toList();
        if (matching.size() > 1) {
            LOG.warn("More than one row of {}/{} matches {}; writing the first", topic.instance(), topic.table(),
                    describeKey(event));
        }
        return matching.stream().findFirst();
    }

    private boolean matchesKey(Map<String, String> row, SinkEvent event) {
        return topic.keyFields().stream().allMatch(f -> Objects.equals(row.get(f), event.fields().get(f)));
    }

    private boolean hasKey(SinkEvent event) {
        if (topic.keyFields().isEmpty()) {
            return event.sysId() != null;
        }
        List<String> missing = new ArrayList<>();
        for (String field : topic.keyFields()) {
            String value = event.fields().get(field);
            if (value == null || value.isEmpty()) {
                missing.add(field);
            } else if (value.contains("^")) {
                throw new RecordRejectedException("key field '" + field + "' contains '^', which an encoded "
                        + "query cannot match");
            }
        }
        if (!missing.isEmpty()) {
            throw new RecordRejectedException("the record lacks the key field(s) " + missing);
        }
        return true;
    }

    private String keyQuery(SinkEvent event) {
        List<String> terms = new ArrayList<>();
        topic.keyFields().forEach(f -> terms.add(f + "=" + event.fields().get(f)));
        return String.join("^", terms);
    }

    private String describeKey(SinkEvent event) {
        if (topic.keyFields().isEmpty()) {
            return "sys_id " + event.sysId();
        }
        List<String> terms = new ArrayList<>();
        topic.keyFields().forEach(f -> terms.add(f + "=" + event.fields().get(f)));
        return String.join(", ", terms);
    }

    /**
     * ServiceNow ignores fields it does not know, silently: a field sent but absent from the row it
     * answers with does not exist (or may not be written by this user). The row is written without it.
     */
    private void requireKnownFields(Map<String, String> sent, Map<String, String> written) {
        List<String> unknown = sent.keySet().stream().filter(f -> !written.containsKey(f)).toList();
        if (!unknown.isEmpty()) {
            throw new RecordRejectedException("unknown field(s) " + unknown + " in table " + topic.table()
                    + " were ignored by ServiceNow; the other fields of row " + written.get("sys_id")
                    + " were written");
        }
    }
}
