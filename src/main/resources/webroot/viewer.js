// Fusion Node live viewer: a Foxglove WebSocket protocol client (foxglove.websocket.v1) of the node's /ws.
// Subscribes to the overlay, confidence and meta channels of every camera: a grid of all cameras' overlays
// (when there are several), and the selected camera's overlay, confidence map and figures.
// A page that embeds it (the console) sets window.fusionViewerOptions = {manual: true, onMeta, onSelect} first:
// it then connects with fusionViewer.connect() and may feed frames itself with fusionViewer.receive().
(function () {
  'use strict';
  const options = window.fusionViewerOptions || {};
  const $ = (id) => document.getElementById(id);
  const canvas = $('overlay');
  const ctx = canvas.getContext('2d');
  const confidenceCanvas = $('confidence');
  let confidenceFrames = 0;
  const subscriptions = new Map(); // subscription id -> {kind, camera}
  const tiles = new Map(); // camera -> canvas of the grid
  let selected = null; // the camera shown large
  let nextSub = 1;
  let frames = 0;
  const arrivals = [];
  let legendKey = '';
  window.fusionViewer = {
    frames: () => frames,
    confidenceFrames: () => confidenceFrames,
    cameras: () => Array.from(tiles.keys()),
    select: (camera) => select(camera),
    selected: () => selected,
    connect: () => connect(),
    receive: (camera, kind, msg) => show({ camera: camera, kind: kind }, msg),
  };

  let socket = null;
  function connect() {
    if (socket) return;
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    const ws = new WebSocket(url, 'foxglove.websocket.v1');
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => { $('state').textContent = 'connected'; };
    socket = ws;
    ws.onclose = () => {
      socket = null;
      $('state').textContent = 'disconnected, retrying';
      if (!options.onClose || options.onClose() !== false) setTimeout(connect, 1000);
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') {
        onText(ws, JSON.parse(ev.data));
      } else {
        onBinary(new DataView(ev.data));
      }
    };
  }

  function onText(ws, msg) {
    if (msg.op === 'advertise') {
      const subs = [];
      for (const ch of msg.channels) {
        // topics are /<camera>/<kind>
        const parts = ch.topic.split('/');
        const kind = parts[parts.length - 1];
        const camera = parts.slice(1, -1).join('/');
        if (kind === 'overlay' || kind === 'meta' || kind === 'confidence') {
          const id = nextSub++;
          subscriptions.set(id, { kind: kind, camera: camera });
          subs.push({ id: id, channelId: ch.id });
        }
      }
      if (subs.length) ws.send(JSON.stringify({ op: 'subscribe', subscriptions: subs }));
    } else if (msg.op === 'status' && msg.level >= 1) {
      $('state').textContent = msg.message;
    }
  }

  function onBinary(view) {
    if (view.getUint8(0) !== 1) return; // only Message Data
    const sub = subscriptions.get(view.getUint32(1, true));
    if (!sub) return;
    const payload = new TextDecoder().decode(new Uint8Array(view.buffer, view.byteOffset + 13));
    show(sub, JSON.parse(payload));
  }

  function show(sub, msg) {
    if (sub.kind === 'overlay') {
      drawTile(sub.camera, msg);
      if (selected === null) select(sub.camera);
      if (sub.camera === selected) drawOverlay(msg);
    } else if (sub.camera !== selected) {
      return;
    } else if (sub.kind === 'meta') showMeta(msg);
    else if (sub.kind === 'confidence') drawConfidence(msg);
  }

  function select(camera) {
    selected = camera;
    $('camera').textContent = camera;
    if (options.onSelect) options.onSelect(camera);
    for (const [c, tile] of tiles) tile.parentElement.classList.toggle('selected', c === camera);
  }

  // one small canvas per camera, in the order the cameras first appear; click one to show it large
  function drawTile(camera, msg) {
    let tile = tiles.get(camera);
    if (!tile) {
      const figure = document.createElement('figure');
      tile = document.createElement('canvas');
      tile.width = 320;
      tile.height = 180;
      const caption = document.createElement('figcaption');
      caption.textContent = camera;
      figure.appendChild(tile);
      figure.appendChild(caption);
      figure.onclick = () => select(camera);
      $('grid').appendChild(figure);
      tiles.set(camera, tile);
      $('grid').classList.toggle('several', tiles.size > 1);
      if (camera === selected) figure.classList.add('selected');
    }
    const img = new Image();
    img.onload = () => {
      tile.height = Math.round((tile.width * img.height) / img.width);
      tile.getContext('2d').drawImage(img, 0, 0, tile.width, tile.height);
    };
    img.src = source(msg, 'jpeg');
  }

  function drawConfidence(msg) {
    const img = new Image();
    img.onload = () => {
      if (confidenceCanvas.width !== img.width || confidenceCanvas.height !== img.height) {
        confidenceCanvas.width = img.width;
        confidenceCanvas.height = img.height;
      }
      confidenceCanvas.getContext('2d').drawImage(img, 0, 0);
      confidenceFrames++;
    };
    img.src = source(msg, 'png');
  }

  function drawOverlay(msg) {
    const img = new Image();
    img.onload = () => {
      if (canvas.width !== img.width || canvas.height !== img.height) {
        canvas.width = img.width;
        canvas.height = img.height;
      }
      ctx.drawImage(img, 0, 0);
      frames++;
      $('frames').textContent = frames;
      const now = performance.now();
      arrivals.push(now);
      while (arrivals.length && now - arrivals[0] > 2000) arrivals.shift();
      if (arrivals.length > 1) {
        $('fps').textContent = ((arrivals.length - 1) / ((now - arrivals[0]) / 1000)).toFixed(1);
      }
    };
    img.src = source(msg, 'jpeg');
  }

  // a message's image: the base64 data of a Foxglove CompressedImage, or a URL the embedding page fetched
  function source(msg, type) {
    return msg.url || 'data:image/' + (msg.format || type) + ';base64,' + msg.data;
  }

  function showMeta(meta) {
    if (options.onMeta) options.onMeta(meta);
    if (meta.latencyMs) $('latency').textContent = meta.latencyMs.endToEnd.toFixed(0);
    $('drops').textContent = meta.droppedSoFar;
    $('model').textContent = meta.modelVersion;
    if (typeof meta.unfamiliarity === 'number') {
      $('unfamiliarity').textContent = (100 * meta.unfamiliarity).toFixed(1) + ' %';
    }
    const key = JSON.stringify(meta.classes || []);
    if (key !== legendKey) {
      legendKey = key;
      $('legend').innerHTML = (meta.classes || [])
        .map((c) => '<span><i style="background:' + c.color + '"></i>' + c.name + '</span>')
        .join('');
    }
  }

  if (!options.manual) connect();
})();
