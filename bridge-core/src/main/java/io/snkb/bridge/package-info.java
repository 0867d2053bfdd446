/**
 * The public API of the bridge: {@link io.snkb.bridge.BridgeEngine} and its builder, and the status
 * snapshot it reports. Host applications and the CLI use only this package, {@code io.snkb.bridge.config}
 * and {@code io.snkb.bridge.spi}; everything under {@code io.snkb.bridge.internal} may change without
 * notice.
 */
package io.snkb.bridge;
