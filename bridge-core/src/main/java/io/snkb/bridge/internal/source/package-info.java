/**
 * The source path: one poller per table reading ServiceNow incrementally into Kafka, the in-order
 * tracking of Kafka acknowledgements that decides how far a position may move, the suppression of rows
 * read again, and the writing of positions to the offset store.
 *
 * <p>The invariant all of it serves: a stored position never passes a row that Kafka has not
 * acknowledged, so a crash at any instant can cause duplicates on restart but never a loss.
 */
package io.snkb.bridge.internal.source;
