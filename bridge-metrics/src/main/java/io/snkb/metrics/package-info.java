/**
 * What an operator scrapes and probes: {@link io.snkb.metrics.ObservabilityServer} serves an engine's
 * Prometheus metrics at {@code /metrics}, its liveness at {@code /health} and its readiness at {@code /ready}.
 * Uses the public API of {@code io.snkb.bridge} only.
 */
package io.snkb.metrics;
