/**
 * Built-in {@link io.snkb.bridge.spi.Serializer} implementations: JSON in the Debezium change event
 * envelope by default.
 */
package io.snkb.bridge.internal.serde;
