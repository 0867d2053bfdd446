/**
 * The {@code snkb} command line. It parses arguments, builds the engine through the public
 * {@link io.snkb.bridge.BridgeEngine#builder()} and maps failures to distinct exit codes
 * ({@link io.snkb.cli.ExitCodes}); it holds no bridge logic of its own.
 */
package io.snkb.cli;
