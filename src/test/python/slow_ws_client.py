"""A Foxglove WebSocket client on a thin link: it subscribes to every channel, then stops reading
until a line arrives on stdin, with a small socket receive buffer (so the kernel cannot absorb the
stream), then reads what is left. Prints one JSON line: binary messages per subscription and the server's status
messages. A minimal RFC 6455 client on the standard library (no packages), for the slow-client test.

usage: python3 slow_ws_client.py PORT
"""
import base64
import json
import os
import socket
import struct
import sys


def send_text(sock, text):
    payload = text.encode()
    mask = os.urandom(4)
    header = bytes([0x81])
    n = len(payload)
    if n < 126:
        header += bytes([0x80 | n])
    elif n < 65536:
        header += bytes([0x80 | 126]) + struct.pack(">H", n)
    else:
        header += bytes([0x80 | 127]) + struct.pack(">Q", n)
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def read_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("connection closed")
        buf += chunk
    return bytes(buf)


def read_message(sock):
    """One whole message (continuation frames joined): (opcode, payload)."""
    opcode, data = None, bytearray()
    while True:
        b0, b1 = read_exact(sock, 2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", read_exact(sock, 2))[0]
        elif n == 127:
            n = struct.unpack(">Q", read_exact(sock, 8))[0]
        payload = read_exact(sock, n)
        op = b0 & 0x0F
        if op >= 0x8:  # control frame between fragments
            if op == 0x8:
                raise EOFError("close frame")
            continue
        if op != 0:
            opcode = op
        data += payload
        if b0 & 0x80:
            return opcode, bytes(data)


def main():
    port = int(sys.argv[1])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
         f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
         "Sec-WebSocket-Protocol: foxglove.websocket.v1\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += read_exact(sock, 1)
    if b" 101 " not in head.split(b"\r\n")[0]:
        raise SystemExit("upgrade refused: " + head.decode(errors="replace"))
    sub_id = 0
    while True:
        op, data = read_message(sock)
        if op == 1 and json.loads(data).get("op") == "advertise":
            subs = []
            for ch in json.loads(data)["channels"]:
                sub_id += 1
                subs.append({"id": sub_id, "channelId": ch["id"]})
            send_text(sock, json.dumps({"op": "subscribe", "subscriptions": subs}))
            break
    print("subscribed", flush=True)
    sys.stdin.readline()
    counts, statuses, total = {}, [], 0
    sock.settimeout(3.0)
    try:
        while True:
            op, data = read_message(sock)
            total += len(data)
            if op == 2:
                sid = str(struct.unpack("<I", data[1:5])[0])
                counts[sid] = counts.get(sid, 0) + 1
            elif op == 1:
                msg = json.loads(data)
                if msg.get("op") == "status":
                    statuses.append(msg)
    except (socket.timeout, EOFError):
        pass
    print(json.dumps({"binary": counts, "bytes": total, "status": statuses}), flush=True)


if __name__ == "__main__":
    main()
