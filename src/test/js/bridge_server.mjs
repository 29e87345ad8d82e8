// A stand-in for ROS 2's foxglove_bridge, made with npm @foxglove/ws-protocol's FoxgloveServer (and
// `ws`): it offers clientPublish and the cdr encoding, and advertises ros2msg channels of KITTI frame
// 000000: /camera/image_raw (sensor_msgs/msg/Image rgb8), /velodyne_points (PointCloud2: x y z
// intensity float32), /camera/camera_info (plumb_bob) and /tf_static (the LiDAR's pose in the
// camera's frame), serialised by @foxglove/rosmsg2-serialization. Once a client subscribes to the
// image and the cloud it sends `frames` frames every `periodMs` (scan, then camera info and image, all
// stamped base + i x 100 ms), then one malformed image message (3 bytes). Every mask a client
// publishes back is decoded with the schema the client advertised and printed as a JSON line
// {event: "mask", topic, schemaName, encoding, width, height, step, stamp, frame_id, length, max};
// also printed: {event: "listening", port}, {event: "subscribed", topic}, {event: "sent", stamp},
// {event: "advertise", topic, schemaName, encoding, schemaEncoding}.
// usage: node bridge_server.mjs <node_modules dir> <port|0> <rgb raw> <width> <height> <velodyne .bin>
//        <frames> <periodMs> <fx> <fy> <cx> <cy> <tx> <ty> <tz> <qx> <qy> <qz> <qw>
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const [modulesDir, portArg, rgbFile, w, h, binFile, framesArg, periodArg, ...calib] = process.argv.slice(2);
const require = createRequire(path.join(modulesDir, 'noop.js'));
const { FoxgloveServer } = require('@foxglove/ws-protocol');
const { WebSocketServer } = require('ws');
const { MessageWriter, MessageReader } = require('@foxglove/rosmsg2-serialization');
const { parse } = require('@foxglove/rosmsg');

const SEP = '\n================================================================================\n';
const HEADER = SEP + 'MSG: std_msgs/Header\nbuiltin_interfaces/Time stamp\nstring frame_id'
  + SEP + 'MSG: builtin_interfaces/Time\nint32 sec\nuint32 nanosec';
const defs = {
  'sensor_msgs/msg/Image': 'std_msgs/Header header\nuint32 height\nuint32 width\nstring encoding\nuint8 is_bigendian\nuint32 step\nuint8[] data' + HEADER,
  'sensor_msgs/msg/PointCloud2': 'std_msgs/Header header\nuint32 height\nuint32 width\nsensor_msgs/PointField[] fields\nbool is_bigendian\n'
    + 'uint32 point_step\nuint32 row_step\nuint8[] data\nbool is_dense' + HEADER
    + SEP + 'MSG: sensor_msgs/PointField\nuint8 INT8=1\nuint8 UINT8=2\nuint8 INT16=3\nuint8 UINT16=4\n'
    + 'uint8 INT32=5\nuint8 UINT32=6\nuint8 FLOAT32=7\nuint8 FLOAT64=8\nstring name\nuint32 offset\nuint8 datatype\nuint32 count',
  'sensor_msgs/msg/CameraInfo': 'std_msgs/Header header\nuint32 height\nuint32 width\nstring distortion_model\nfloat64[] d\nfloat64[9] k\n'
    + 'float64[9] r\nfloat64[12] p\nuint32 binning_x\nuint32 binning_y\nsensor_msgs/RegionOfInterest roi' + HEADER
    + SEP + 'MSG: sensor_msgs/RegionOfInterest\nuint32 x_offset\nuint32 y_offset\nuint32 height\nuint32 width\nbool do_rectify',
  'tf2_msgs/msg/TFMessage': 'geometry_msgs/TransformStamped[] transforms'
    + SEP + 'MSG: geometry_msgs/TransformStamped\nstd_msgs/Header header\nstring child_frame_id\ngeometry_msgs/Transform transform' + HEADER
    + SEP + 'MSG: geometry_msgs/Transform\ngeometry_msgs/Vector3 translation\ngeometry_msgs/Quaternion rotation'
    + SEP + 'MSG: geometry_msgs/Vector3\nfloat64 x\nfloat64 y\nfloat64 z'
    + SEP + 'MSG: geometry_msgs/Quaternion\nfloat64 x 0\nfloat64 y 0\nfloat64 z 0\nfloat64 w 1',
};
const print = (o) => console.log(JSON.stringify(o));

const server = new FoxgloveServer({ name: 'fusion-node test bridge', capabilities: ['clientPublish'], supportedEncodings: ['cdr'] });
const channels = {};
for (const [topic, type] of [['/camera/image_raw', 'sensor_msgs/msg/Image'], ['/velodyne_points', 'sensor_msgs/msg/PointCloud2'],
  ['/camera/camera_info', 'sensor_msgs/msg/CameraInfo'], ['/tf_static', 'tf2_msgs/msg/TFMessage']]) {
  const id = server.addChannel({ topic, encoding: 'cdr', schemaName: type, schema: defs[type], schemaEncoding: 'ros2msg' });
  channels[topic] = { id, writer: new MessageWriter(parse(defs[type], { ros2: true })) };
}
const topicOf = new Map(Object.entries(channels).map(([t, c]) => [c.id, t]));

const width = Number(w), height = Number(h);
const rgb = fs.readFileSync(rgbFile);
const bin = fs.readFileSync(binFile);
const n = bin.length / 16;
const field = (name, offset) => ({ name, offset, datatype: 7, count: 1 });
const [fx, fy, cx, cy, tx, ty, tz, qx, qy, qz, qw] = calib.map(Number);
const base = 1700000000000000000n;
const header = (ns, frame) => ({ stamp: { sec: Number(ns / 1000000000n), nanosec: Number(ns % 1000000000n) }, frame_id: frame });
const send = (topic, ns, msg) => server.sendMessage(channels[topic].id, ns, channels[topic].writer.writeMessage(msg));

const subscribed = new Set();
let started = false;
server.on('subscribe', (id) => {
  subscribed.add(topicOf.get(id));
  print({ event: 'subscribed', topic: topicOf.get(id) });
  if (!started && subscribed.has('/camera/image_raw') && subscribed.has('/velodyne_points')) {
    started = true;
    setTimeout(play, 200);
  }
});
server.on('unsubscribe', (id) => subscribed.delete(topicOf.get(id)));

function play() {
  send('/tf_static', base, { transforms: [{ header: header(base, 'camera'), child_frame_id: 'velodyne',
    transform: { translation: { x: tx, y: ty, z: tz }, rotation: { x: qx, y: qy, z: qz, w: qw } } }] });
  let i = 0;
  const timer = setInterval(() => {
    if (i >= Number(framesArg)) {
      clearInterval(timer);
      server.sendMessage(channels['/camera/image_raw'].id, base, new Uint8Array([1, 2, 3]));
      print({ event: 'done' });
      return;
    }
    const ns = base + BigInt(i) * 100000000n;
    send('/velodyne_points', ns, { header: header(ns, 'velodyne'), height: 1, width: n,
      fields: [field('x', 0), field('y', 4), field('z', 8), field('intensity', 12)],
      is_bigendian: false, point_step: 16, row_step: 16 * n, data: new Uint8Array(bin), is_dense: true });
    send('/camera/camera_info', ns, { header: header(ns, 'camera'), height, width, distortion_model: 'plumb_bob',
      d: [0, 0, 0, 0, 0], k: [fx, 0, cx, 0, fy, cy, 0, 0, 1], r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      p: [fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0], binning_x: 0, binning_y: 0,
      roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false } });
    send('/camera/image_raw', ns, { header: header(ns, 'camera'), height, width, encoding: 'rgb8', is_bigendian: 0,
      step: width * 3, data: new Uint8Array(rgb) });
    print({ event: 'sent', stamp: ns.toString() });
    i++;
  }, Number(periodArg));
}

const readers = new Map();
server.on('advertise', (c) => {
  print({ event: 'advertise', topic: c.topic, schemaName: c.schemaName, encoding: c.encoding, schemaEncoding: c.schemaEncoding });
  readers.set(c.id, new MessageReader(parse(c.schema ?? defs[c.schemaName], { ros2: true })));
});
server.on('message', ({ channel, data }) => {
  const m = readers.get(channel.id).readMessage(data);
  let max = 0;
  for (const v of m.data) if (v > max) max = v;
  print({ event: 'mask', topic: channel.topic, schemaName: channel.schemaName, encoding: m.encoding, width: m.width,
    height: m.height, step: m.step, stamp: (BigInt(m.header.stamp.sec) * 1000000000n + BigInt(m.header.stamp.nanosec)).toString(),
    frame_id: m.header.frame_id, length: m.data.length, max });
});
server.on('error', (e) => print({ event: 'error', message: String(e) }));

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(portArg), handleProtocols: (protocols) => server.handleProtocols(protocols) });
wss.on('listening', () => print({ event: 'listening', port: wss.address().port }));
wss.on('connection', (conn, req) => server.handleConnection(conn, `${req.socket.remoteAddress}:${req.socket.remotePort}`));
