/**
 * The bridge's configuration: immutable records bound from one YAML file, the declaration of every key
 * (name, type, default, validation and description in one place), and the loader that substitutes
 * {@code ${ENV}} and {@code ${file:/path}} references and reports every problem at once.
 */
package io.snkb.bridge.config;
