// Reads a ROS 2 bag in MCAP with npm @mcap/core (indexed reader; @mcap/support for zstd chunks) and
// decodes every message from its own ros2msg schema with @foxglove/rosmsg (definition parser) and
// @foxglove/rosmsg2-serialization (CDR reader). Prints one JSON object: the header's profile, each
// channel (topic, schema name and encoding, message encoding, count), and per topic the decoded
// messages in short: header stamp (ns, as a string) and frame id; images: width, height, encoding,
// step, data length and largest value; compressed images: format, data length and first bytes (hex);
// clouds: width, height, point step and field names; camera infos: model and K; transforms: parent,
// child and translation.
// usage: node ros2_bag_read.mjs <node_modules dir> <file.mcap>
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs/promises';

const [modulesDir, file] = process.argv.slice(2);
const require = createRequire(path.join(modulesDir, 'noop.js'));
const { McapIndexedReader } = require('@mcap/core');
const { loadDecompressHandlers } = require('@mcap/support');
const { MessageReader } = require('@foxglove/rosmsg2-serialization');
const { parse } = require('@foxglove/rosmsg');

const handle = await fs.open(file, 'r');
const size = (await handle.stat()).size;
const readable = {
  size: async () => BigInt(size),
  read: async (offset, length) => {
    const buf = Buffer.alloc(Number(length));
    await handle.read(buf, 0, Number(length), Number(offset));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  },
};
const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers: await loadDecompressHandlers() });
const readers = new Map();
for (const c of reader.channelsById.values()) {
  const s = reader.schemasById.get(c.schemaId);
  readers.set(c.id, new MessageReader(parse(new TextDecoder().decode(s.data), { ros2: true })));
}
const counts = new Map();
const messages = {};
const stamp = (h) => (BigInt(h.stamp.sec) * 1000000000n + BigInt(h.stamp.nanosec)).toString();
for await (const m of reader.readMessages()) {
  counts.set(m.channelId, (counts.get(m.channelId) ?? 0) + 1);
  const c = reader.channelsById.get(m.channelId);
  const type = reader.schemasById.get(c.schemaId).name;
  const msg = readers.get(m.channelId).readMessage(m.data);
  let out;
  switch (type) {
    case 'sensor_msgs/msg/Image': {
      let max = 0;
      for (const v of msg.data) if (v > max) max = v;
      out = { stamp: stamp(msg.header), frame_id: msg.header.frame_id, width: msg.width, height: msg.height,
        encoding: msg.encoding, step: msg.step, length: msg.data.length, max };
      break;
    }
    case 'sensor_msgs/msg/CompressedImage':
      out = { stamp: stamp(msg.header), frame_id: msg.header.frame_id, format: msg.format, length: msg.data.length,
        head: Buffer.from(msg.data.subarray(0, 4)).toString('hex') };
      break;
    case 'sensor_msgs/msg/PointCloud2':
      out = { stamp: stamp(msg.header), frame_id: msg.header.frame_id, width: msg.width, height: msg.height,
        point_step: msg.point_step, fields: msg.fields.map((f) => f.name), length: msg.data.length };
      break;
    case 'sensor_msgs/msg/CameraInfo':
      out = { stamp: stamp(msg.header), frame_id: msg.header.frame_id, width: msg.width, height: msg.height,
        distortion_model: msg.distortion_model, k: Array.from(msg.k) };
      break;
    case 'tf2_msgs/msg/TFMessage':
      out = { transforms: msg.transforms.map((t) => ({ stamp: stamp(t.header), parent: t.header.frame_id,
        child: t.child_frame_id, translation: [t.transform.translation.x, t.transform.translation.y, t.transform.translation.z] })) };
      break;
    default:
      out = {};
  }
  out.logTime = m.logTime.toString();
  (messages[c.topic] ??= []).push(out);
}
const channels = [...reader.channelsById.values()].map((c) => ({
  topic: c.topic,
  messageEncoding: c.messageEncoding,
  schema: reader.schemasById.get(c.schemaId)?.name ?? null,
  schemaEncoding: reader.schemasById.get(c.schemaId)?.encoding ?? null,
  count: counts.get(c.id) ?? 0,
}));
console.log(JSON.stringify({ profile: reader.header.profile, channels, messages }));
await handle.close();
