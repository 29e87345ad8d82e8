/** The Micrometer (Prometheus) implementation of the drop and bad-input ledger, and rate meters. */
package dev.fusionnode.metrics;
