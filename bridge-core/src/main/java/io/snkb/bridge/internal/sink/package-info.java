/**
 * The sink: consumes Kafka records and writes them into ServiceNow tables, in order per target row and
 * in parallel across rows, committing offsets only up to what is fully handled, and sending records that
 * cannot be written to the dead letter topic.
 */
package io.snkb.bridge.internal.sink;
