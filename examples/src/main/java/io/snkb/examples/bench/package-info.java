/**
 * Benchmarks of the bridge: programs that print their figures, run by hand (see {@code docs/benchmarks.md}),
 * never part of the test suite.
 */
package io.snkb.examples.bench;
