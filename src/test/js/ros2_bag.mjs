// Writes a ROS 2 bag (MCAP, profile ros2, cdr messages, ros2msg schemas) of one KITTI frame with npm
// @mcap/core and @foxglove/rosmsg2-serialization: /camera/image_raw (sensor_msgs/msg/Image, rgb8, with
// `padding` bytes of row padding), /camera/image_raw/compressed (sensor_msgs/msg/CompressedImage, png) and
// /velodyne_points (sensor_msgs/msg/PointCloud2: x y z float32 and intensity float32 as KITTI stores them,
// one padding float, unorganized), each stamped `stampNs`.
// With 11 more arguments it also writes /camera/camera_info (sensor_msgs/msg/CameraInfo, plumb_bob, no
// distortion) and /tf_static (tf2_msgs/msg/TFMessage: frame velodyne's pose in frame camera).
// Environment: ROS2_TF_TOPIC writes the LiDAR's pose on that topic (e.g. /tf) instead of /tf_static;
// ROS2_VELODYNE=<packet file> with ROS2_VELODYNE_PACKET=<1206|1248> adds /velodyne_packets
// (velodyne_msgs/msg/VelodyneScan, one scan of all the file's packets); ROS2_DUMP=<file> also writes
// every message as a JSON line {topic, type, time, data (base64 CDR)}, for a .db3 made from them.
// usage: node ros2_bag.mjs <node_modules dir> <rgb raw file> <width> <height> <padding> <png file>
//        <velodyne .bin> <stampNs> <out.mcap> [fx fy cx cy tx ty tz qx qy qz qw]
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const [modulesDir, rgbFile, w, h, pad, pngFile, binFile, stamp, out, ...calib] = process.argv.slice(2);
const require = createRequire(path.join(modulesDir, 'noop.js'));
const { McapWriter } = require('@mcap/core');
const { MessageWriter } = require('@foxglove/rosmsg2-serialization');
const { parse } = require('@foxglove/rosmsg');

const SEP = '\n================================================================================\n';
const HEADER = 'builtin_interfaces/Time stamp\nstring frame_id';
const TIME = 'int32 sec\nuint32 nanosec';
const defs = {
  'sensor_msgs/msg/Image':
    'std_msgs/Header header\nuint32 height\nuint32 width\nstring encoding\nuint8 is_bigendian\nuint32 step\nuint8[] data'
    + SEP + 'MSG: std_msgs/Header\n' + HEADER + SEP + 'MSG: builtin_interfaces/Time\n' + TIME,
  'sensor_msgs/msg/CompressedImage':
    'std_msgs/Header header\nstring format\nuint8[] data'
    + SEP + 'MSG: std_msgs/Header\n' + HEADER + SEP + 'MSG: builtin_interfaces/Time\n' + TIME,
  'sensor_msgs/msg/PointCloud2':
    'std_msgs/Header header\nuint32 height\nuint32 width\nsensor_msgs/PointField[] fields\nbool is_bigendian\n'
    + 'uint32 point_step\nuint32 row_step\nuint8[] data\nbool is_dense'
    + SEP + 'MSG: std_msgs/Header\n' + HEADER + SEP + 'MSG: builtin_interfaces/Time\n' + TIME
    + SEP + 'MSG: sensor_msgs/PointField\nuint8 INT8=1\nuint8 UINT8=2\nuint8 INT16=3\nuint8 UINT16=4\n'
    + 'uint8 INT32=5\nuint8 UINT32=6\nuint8 FLOAT32=7\nuint8 FLOAT64=8\nstring name\nuint32 offset\nuint8 datatype\nuint32 count',
};

defs['sensor_msgs/msg/CameraInfo'] =
  'std_msgs/Header header\nuint32 height\nuint32 width\nstring distortion_model\nfloat64[] d\nfloat64[9] k\n'
  + 'float64[9] r\nfloat64[12] p\nuint32 binning_x\nuint32 binning_y\nsensor_msgs/RegionOfInterest roi'
  + SEP + 'MSG: std_msgs/Header\n' + HEADER + SEP + 'MSG: builtin_interfaces/Time\n' + TIME
  + SEP + 'MSG: sensor_msgs/RegionOfInterest\nuint32 x_offset\nuint32 y_offset\nuint32 height\nuint32 width\nbool do_rectify';
defs['tf2_msgs/msg/TFMessage'] =
  'geometry_msgs/TransformStamped[] transforms'
  + SEP + 'MSG: geometry_msgs/TransformStamped\nstd_msgs/Header header\nstring child_frame_id\ngeometry_msgs/Transform transform'
  + SEP + 'MSG: std_msgs/Header\n' + HEADER + SEP + 'MSG: builtin_interfaces/Time\n' + TIME
  + SEP + 'MSG: geometry_msgs/Transform\ngeometry_msgs/Vector3 translation\ngeometry_msgs/Quaternion rotation'
  + SEP + 'MSG: geometry_msgs/Vector3\nfloat64 x\nfloat64 y\nfloat64 z'
  + SEP + 'MSG: geometry_msgs/Quaternion\nfloat64 x 0\nfloat64 y 0\nfloat64 z 0\nfloat64 w 1';

defs['velodyne_msgs/msg/VelodyneScan'] =
  'std_msgs/Header header\nvelodyne_msgs/VelodynePacket[] packets'
  + SEP + 'MSG: std_msgs/Header\n' + HEADER + SEP + 'MSG: builtin_interfaces/Time\n' + TIME
  + SEP + 'MSG: velodyne_msgs/VelodynePacket\nbuiltin_interfaces/Time stamp\nuint8[1206] data';
const tfTopic = process.env.ROS2_TF_TOPIC || '/tf_static';
const dump = [];

const chunks = [];
let pos = 0n;
const writable = { position: () => pos, write: async (b) => { chunks.push(Buffer.from(b)); pos += BigInt(b.byteLength); } };
const writer = new McapWriter({ writable, useStatistics: true, useChunks: true, useChunkIndex: true });
await writer.start({ profile: 'ros2', library: 'fusion-node tests (@mcap/core)' });

const stampNs = BigInt(stamp);
const header = (frame) => ({ stamp: { sec: Number(stampNs / 1000000000n), nanosec: Number(stampNs % 1000000000n) }, frame_id: frame });
const channels = {};
const topics = [['/camera/image_raw', 'sensor_msgs/msg/Image'],
  ['/camera/image_raw/compressed', 'sensor_msgs/msg/CompressedImage'], ['/velodyne_points', 'sensor_msgs/msg/PointCloud2']];
if (calib.length === 11) topics.push(['/camera/camera_info', 'sensor_msgs/msg/CameraInfo'], [tfTopic, 'tf2_msgs/msg/TFMessage']);
if (process.env.ROS2_VELODYNE) topics.push(['/velodyne_packets', 'velodyne_msgs/msg/VelodyneScan']);
for (const [topic, type] of topics) {
  const schemaId = await writer.registerSchema({ name: type, encoding: 'ros2msg', data: new TextEncoder().encode(defs[type]) });
  const id = await writer.registerChannel({ topic, schemaId, messageEncoding: 'cdr', metadata: new Map() });
  channels[topic] = { id, type, serializer: new MessageWriter(parse(defs[type], { ros2: true })) };
}
const put = async (topic, msg) => {
  const c = channels[topic];
  const data = c.serializer.writeMessage(msg);
  await writer.addMessage({ channelId: c.id, sequence: 0, logTime: stampNs, publishTime: stampNs, data });
  dump.push(JSON.stringify({ topic, type: c.type, time: stampNs.toString(), data: Buffer.from(data).toString('base64') }));
};

const width = Number(w), height = Number(h), padding = Number(pad);
if (calib.length === 11) {
  const [fx, fy, cx, cy, tx, ty, tz, qx, qy, qz, qw] = calib.map(Number);
  await put(tfTopic, { transforms: [{ header: header('camera'), child_frame_id: 'velodyne',
    transform: { translation: { x: tx, y: ty, z: tz }, rotation: { x: qx, y: qy, z: qz, w: qw } } }] });
  await put('/camera/camera_info', { header: header('camera'), height, width, distortion_model: 'plumb_bob',
    d: [0, 0, 0, 0, 0], k: [fx, 0, cx, 0, fy, cy, 0, 0, 1], r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    p: [fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0], binning_x: 0, binning_y: 0,
    roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false } });
}
const rgb = fs.readFileSync(rgbFile);
const step = width * 3 + padding;
const rows = new Uint8Array(step * height);
for (let y = 0; y < height; y++) rows.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * step);
await put('/camera/image_raw', { header: header('camera'), height, width, encoding: 'rgb8', is_bigendian: 0, step, data: rows });
await put('/camera/image_raw/compressed', { header: header('camera'), format: 'png', data: new Uint8Array(fs.readFileSync(pngFile)) });

const bin = fs.readFileSync(binFile);
const n = bin.length / 16;
const pointStep = 20; // x y z intensity + 4 bytes of padding
const cloud = new Uint8Array(n * pointStep);
for (let i = 0; i < n; i++) cloud.set(bin.subarray(i * 16, i * 16 + 16), i * pointStep);
const field = (name, offset) => ({ name, offset, datatype: 7, count: 1 });
await put('/velodyne_points', {
  header: header('velodyne'), height: 1, width: n,
  fields: [field('x', 0), field('y', 4), field('z', 8), field('intensity', 12)],
  is_bigendian: false, point_step: pointStep, row_step: pointStep * n, data: cloud, is_dense: true,
});
if (process.env.ROS2_VELODYNE) {
  const packets = fs.readFileSync(process.env.ROS2_VELODYNE);
  const size = Number(process.env.ROS2_VELODYNE_PACKET);
  const skip = size - 1206;
  const list = [];
  for (let at = 0; at + size <= packets.length; at += size) {
    list.push({ stamp: header('').stamp, data: new Uint8Array(packets.subarray(at + skip, at + size)) });
  }
  await put('/velodyne_packets', { header: header('velodyne'), packets: list });
}
await writer.end();
if (process.env.ROS2_DUMP) fs.writeFileSync(process.env.ROS2_DUMP, dump.join('\n') + '\n');
fs.writeFileSync(out, Buffer.concat(chunks));
console.log(JSON.stringify({ points: n, width, height, step }));
