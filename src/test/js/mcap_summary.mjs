// Reads an MCAP file with npm @mcap/core (indexed reader: summary, index, chunk CRCs) and
// @mcap/support (zstd/lz4 chunk decompression) and prints one JSON object: the schemas, each
// channel with its schema and message count, the summary's statistics, and the first message of each
// channel (JSON-decoded, long base64 data shortened to its first bytes as hex).
// usage: node mcap_summary.mjs <node_modules dir> <file.mcap>
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs/promises';

const [modulesDir, file] = process.argv.slice(2);
const require = createRequire(path.join(modulesDir, 'noop.js'));
const { McapIndexedReader } = require('@mcap/core');
const { loadDecompressHandlers } = require('@mcap/support');

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
const reader = await McapIndexedReader.Initialize({
  readable,
  decompressHandlers: await loadDecompressHandlers(),
});
const schemas = [...reader.schemasById.values()].map((s) => ({ id: s.id, name: s.name, encoding: s.encoding }));
const counts = new Map();
const first = {};
const decoder = new TextDecoder();
for await (const m of reader.readMessages()) {
  counts.set(m.channelId, (counts.get(m.channelId) ?? 0) + 1);
  const topic = reader.channelsById.get(m.channelId).topic;
  if (!(topic in first)) {
    const msg = JSON.parse(decoder.decode(m.data));
    if (typeof msg.data === 'string') {
      msg.data = Buffer.from(msg.data, 'base64').subarray(0, 8).toString('hex');
    }
    first[topic] = msg;
  }
}
const channels = [...reader.channelsById.values()].map((c) => ({
  id: c.id,
  topic: c.topic,
  messageEncoding: c.messageEncoding,
  schema: reader.schemasById.get(c.schemaId)?.name ?? null,
  count: counts.get(c.id) ?? 0,
}));
const stats = reader.statistics;
console.log(JSON.stringify({
  schemas,
  channels,
  messageCount: stats ? Number(stats.messageCount) : null,
  first,
}));
await handle.close();
