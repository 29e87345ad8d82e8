/** Publishing masks over MQTT and the Foxglove WebSocket protocol; later issue. */
package dev.fusionnode.publish;
