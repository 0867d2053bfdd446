/**
 * The Kafka side of the source path: the one producer of an engine, its record layout (key, value and
 * headers), and the creation of missing topics.
 */
package io.snkb.bridge.internal.kafka;
