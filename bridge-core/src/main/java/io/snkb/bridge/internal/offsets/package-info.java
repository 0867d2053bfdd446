/**
 * Built-in {@link io.snkb.bridge.spi.OffsetStore} implementations: the file store used by default.
 */
package io.snkb.bridge.internal.offsets;
