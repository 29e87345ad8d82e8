// An MQTT.js (npm `mqtt`) MQTT 5 subscriber: prints one JSON line per message with the topic, the
// content type, the user properties, the payload length and the payload's first bytes, then exits
// after COUNT messages (or with code 2 after TIMEOUT seconds). It prints `subscribed` once the
// broker has acknowledged the subscription.
// usage: node mqtt5_subscribe.mjs <mqtt module dir> <url> <topic> <count> <timeout s>
import { createRequire } from 'node:module';
import path from 'node:path';

const [moduleDir, url, topic, count, timeout] = process.argv.slice(2);
const require = createRequire(path.join(moduleDir, 'package.json'));
const mqtt = require(moduleDir);

const client = mqtt.connect(url, { protocolVersion: 5, clean: true, reconnectPeriod: 500 });
let n = 0;
const timer = setTimeout(() => { console.error(`timeout after ${n} messages`); process.exit(2); },
  Number(timeout) * 1000);
client.on('connect', () => {
  client.subscribe(topic, { qos: 0 }, (err) => {
    if (err) { console.error(err); process.exit(3); }
    console.log('subscribed'); // the SUBACK came: messages published from now on arrive
  });
});
client.on('message', (t, payload, packet) => {
  const p = packet.properties || {};
  console.log(JSON.stringify({
    topic: t,
    contentType: p.contentType ?? null,
    userProperties: p.userProperties ?? {},
    length: payload.length,
    head: payload.subarray(0, 8).toString('hex'),
  }));
  if (++n >= Number(count)) {
    clearTimeout(timer);
    client.end(false, {}, () => process.exit(0));
  }
});
client.on('error', (e) => { console.error(`mqtt error: ${e.message}`); });
