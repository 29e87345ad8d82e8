/**
 * Sensor input pushed by other processes (for setups where another process owns the sensors):
 * camera images and LiDAR point clouds in one small binary layout ({@link PushMessage}), over MQTT
 * ({@code <prefix>/sensors/...}) or a WebSocket ({@code /ingest}).
 */
package dev.fusionnode.ingest;
