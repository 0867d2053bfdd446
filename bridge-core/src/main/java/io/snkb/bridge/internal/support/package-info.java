/**
 * Small building blocks the engine's parts share: stop signals, thread creation and the logging of
 * failures that repeat. Nothing here knows about ServiceNow or Kafka.
 */
package io.snkb.bridge.internal.support;
