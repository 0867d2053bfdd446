package io.snkb.testkit.servicenow;

import java.time.Duration;

/**
 * The outcome of a replay.
 *
 * @param applied events applied
 * @param total events the replay was to apply
 * @param created incidents created
 * @param updated updates applied to existing incidents
 * @param stopped whether {@link ReplayHandle#stop()} ended it early
 * @param elapsed wall-clock time taken
 */
public record ReplayResult(int applied, int total, int created, int updated, boolean stopped, Duration elapsed) {
}
