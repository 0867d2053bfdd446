/**
 * The ServiceNow side of the engine: the Table API client over the JDK HTTP client, encoded query
 * building for keyset reads, the raw date-time format, and the classification of failures into
 * retriable and fatal kinds.
 */
package io.snkb.bridge.internal.servicenow;
