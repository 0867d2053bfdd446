/**
 * Built-in {@link io.snkb.bridge.spi.TokenProvider} implementations.
 */
package io.snkb.bridge.internal.auth;
