// A Foxglove WebSocket client built on Foxglove's own npm @foxglove/ws-protocol (FoxgloveClient over
// `ws`): subscribes to every advertised channel, counts messages per topic, and prints one JSON line
// when no message has come for IDLE ms (after the first one) or after MAX seconds.
// usage: node foxglove_count.mjs <node_modules dir> <ws url> <idle ms> <max s>
import { createRequire } from 'node:module';
import path from 'node:path';

const [modulesDir, url, idleMs, maxS] = process.argv.slice(2);
const require = createRequire(path.join(modulesDir, 'noop.js'));
const { FoxgloveClient } = require('@foxglove/ws-protocol');
const { WebSocket } = require('ws');

const client = new FoxgloveClient({ ws: new WebSocket(url, [FoxgloveClient.SUPPORTED_SUBPROTOCOL]) });
const topics = new Map();
const counts = {};
const statuses = [];
let last = 0;
client.on('advertise', (channels) => {
  for (const ch of channels) {
    const id = client.subscribe(ch.id);
    topics.set(id, ch.topic);
    counts[ch.topic] = counts[ch.topic] ?? 0;
  }
  console.log('subscribed');
});
client.on('status', (s) => statuses.push(s));
client.on('message', ({ subscriptionId }) => {
  const t = topics.get(subscriptionId);
  counts[t] = (counts[t] ?? 0) + 1;
  last = Date.now();
});
const finish = () => {
  console.log(JSON.stringify({ counts, status: statuses }));
  client.close();
  process.exit(0);
};
setTimeout(finish, Number(maxS) * 1000);
setInterval(() => { if (last > 0 && Date.now() - last > Number(idleMs)) finish(); }, 100);
