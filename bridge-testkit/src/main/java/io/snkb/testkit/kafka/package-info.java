/**
 * A real single-node KRaft Kafka broker (combined broker and controller) that runs inside the JVM, for
 * tests and for the demo. {@link io.snkb.testkit.kafka.EmbeddedKafka} is the entry point; the other
 * types here are its helpers and are not meant for direct use.
 */
package io.snkb.testkit.kafka;
