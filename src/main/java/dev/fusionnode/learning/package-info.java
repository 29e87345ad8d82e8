/**
 * The node's online learning loop: fine-tune jobs over the annotation store, promotion of a better
 * model to the served slot, hard-frame capture and replay accumulation, and the one inbound path of
 * fine-tune commands and annotations shared by HTTP and MQTT.
 */
package dev.fusionnode.learning;
