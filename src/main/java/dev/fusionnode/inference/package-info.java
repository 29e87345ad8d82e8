/**
 * Batched CLFT inference stage (dynamic batching, backpressure, masks at camera resolution); next
 * issue.
 */
package dev.fusionnode.inference;
