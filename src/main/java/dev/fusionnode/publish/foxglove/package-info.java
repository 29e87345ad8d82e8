/**
 * The Foxglove WebSocket protocol ({@code foxglove.websocket.v1}) server at {@code /ws}: channel
 * advertisement with JSON schemas, subscriptions and binary message frames of the published frames.
 */
package dev.fusionnode.publish.foxglove;
