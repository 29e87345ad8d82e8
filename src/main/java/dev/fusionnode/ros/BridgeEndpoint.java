package dev.fusionnode.ros;

/**
 * Where a bridge is and how large its messages may be.
 *
 * @param url its WebSocket URL ({@code ws://host:8765})
 * @param maxMessageBytes the largest message taken (a raw 1920x1080 RGB image is 6.2 MB)
 */
public record BridgeEndpoint(String url, int maxMessageBytes) {}
