/**
 * A stateful ServiceNow instance over real HTTP, for tests, demos and trying pipelines without an instance.
 *
 * <p>Public API: {@link io.snkb.testkit.servicenow.ServiceNowSimulator} (server, tables, users, tokens, request
 * log), {@link io.snkb.testkit.servicenow.SimTable} (rows through Java), {@link
 * io.snkb.testkit.servicenow.Faults} and {@link io.snkb.testkit.servicenow.FaultSpec} (fault injection and its
 * spec language), {@link io.snkb.testkit.servicenow.Seeder} (synthetic data), {@link
 * io.snkb.testkit.servicenow.IncidentHistoryReplay} (replay of the real incident event log) and {@link
 * io.snkb.testkit.servicenow.SimulatorOptions} (construction from command-line values). The package-private
 * classes are the HTTP handlers, the encoded-query engine with the table indexes its searches walk, and the
 * record renderer.
 *
 * <p>Modelled behaviour, including quirks: every value a string; date-times raw in UTC at one-second precision;
 * references as link/value; {@code sysparm_limit} applied before row-level ACLs; v1 answering 404 to an empty
 * result; conditions on unknown fields dropped silently; {@code gs.dateGenerate} read in the user's time zone while
 * plain date literals are read as UTC, a local time the zone repeats (daylight saving's last hour) as the earlier or
 * the later instant ({@link io.snkb.testkit.servicenow.RepeatedHourReading}); integers compared numerically only
 * when both sides are integers.
 */
package io.snkb.testkit.servicenow;
