/**
 * The contract every stage shares: the messages that cross the event bus and their codecs, every
 * bus address ({@link dev.fusionnode.pipeline.Addresses}), bad input and node faults, the drop
 * ledger ({@link dev.fusionnode.pipeline.NodeMetrics}, {@link dev.fusionnode.pipeline.DropReason}),
 * the stage base class and the credit stage. Depends on nothing but the foundations.
 */
package dev.fusionnode.pipeline;
