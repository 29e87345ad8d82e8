// Sends files as binary WebSocket messages with npm ws (the pushed-sensor client of PushIngestTest),
// then closes the connection; prints "sent N".
// usage: node push_ws.mjs <node_modules dir> <ws://host:port/ingest> <file>...
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs/promises';

const [modulesDir, url, ...files] = process.argv.slice(2);
const require = createRequire(path.join(modulesDir, 'noop.js'));
const WebSocket = require('ws');

const ws = new WebSocket(url);
await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
let sent = 0;
for (const f of files) {
  const data = await fs.readFile(f);
  await new Promise((resolve, reject) => ws.send(data, { binary: true }, (err) => (err ? reject(err) : resolve())));
  sent++;
}
await new Promise((resolve) => { ws.on('close', resolve); ws.close(1000, 'done'); });
console.log(`sent ${sent}`);
