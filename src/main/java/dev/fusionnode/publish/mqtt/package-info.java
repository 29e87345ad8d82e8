/**
 * MQTT publishing: masks, overlays, per-frame meta and a retained status per vehicle, to the
 * embedded Moquette broker or an external broker (Paho MQTT 5 client), through a bounded outbound
 * buffer.
 */
package dev.fusionnode.publish.mqtt;
