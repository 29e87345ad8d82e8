/**
 * The replay source: dataset splits and recorded drives played as live sensor messages, paced or
 * lossless.
 */
package dev.fusionnode.replay;
