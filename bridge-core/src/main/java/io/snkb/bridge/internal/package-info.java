/**
 * The engine's internals: the ServiceNow client, the source pollers, the Kafka producer path and the
 * built-in SPI implementations. Not an API: host applications use {@code io.snkb.bridge} and its
 * {@code config} and {@code spi} packages.
 */
package io.snkb.bridge.internal;
