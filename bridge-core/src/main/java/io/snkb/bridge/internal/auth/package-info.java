/**
 * Built-in {@link io.snkb.bridge.spi.TokenProvider} implementations: Basic credentials, and OAuth bearer tokens
 * from an instance's token endpoint with the signed assertions of the JWT bearer grant.
 */
package io.snkb.bridge.internal.auth;
