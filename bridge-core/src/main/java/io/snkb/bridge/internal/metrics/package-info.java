/**
 * The engine's Micrometer meters: one {@link io.snkb.bridge.internal.metrics.EngineMeters} per engine
 * registers them in the registry the host application gave (or in a registry that keeps nothing), and
 * hands narrow recorders to the parts that count: {@link io.snkb.bridge.internal.metrics.TableMetrics} to a
 * table's progress, {@link io.snkb.bridge.internal.metrics.ApiMetrics} to an instance's client. Tags are
 * bounded: instance and table names from the configuration and small fixed vocabularies, never a
 * {@code sys_id}, a URL or an error message. {@code docs/metrics.md} lists every meter.
 */
package io.snkb.bridge.internal.metrics;
