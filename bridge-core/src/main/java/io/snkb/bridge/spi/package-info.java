/**
 * Service provider interfaces: the extension points a host application may implement and pass to
 * {@link io.snkb.bridge.BridgeEngine.Builder}. Each interface's Javadoc states when the engine calls it,
 * from which threads, and what an exception thrown from it means.
 *
 * <p>Exceptions follow one rule throughout: a {@link io.snkb.bridge.spi.RetriableException} means "try
 * again later" and the engine retries with backoff without losing or skipping anything; any other
 * runtime exception is fatal for the unit of work that called the SPI (one table, or the whole engine
 * for the offset store), which then reports it in its status and stops.
 */
package io.snkb.bridge.spi;
