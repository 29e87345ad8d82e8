// Console view "Live": the viewer (viewer.js: overlay, camera grid, confidence, figures) with the LiDAR points of
// the latest frame drawn over the image, per-stage latency, drops, queues and the replay controls.
'use strict';
const ConsoleLive = (() => {
  const $ = (id) => document.getElementById(id);
  const viewer = window.fusionViewer;
  const options = window.fusionViewerOptions;
  let started = false;
  let visible = false;
  let polling = null;
  let pointsBusy = false;
  let lastPolledSeq = -1;
  let classes = [];
  const live = { pointsDrawn: 0, pointsSeq: -1, polledFrames: 0 };
  window.fusionConsoleLive = live;

  options.onMeta = (meta) => {
    classes = meta.classes || classes;
    latency(meta.latencyMs || {});
  };
  // a WebSocket the node refused (reads need the token, which a browser cannot send on a WebSocket): poll
  options.onClose = () => {
    if (Ui.readsLocked) {
      startPolling();
      return false;
    }
    return true;
  };

  function start() {
    if (started) return;
    started = true;
    if (Ui.readsLocked) startPolling();
    else viewer.connect();
    setInterval(() => { if (visible) points(); }, 400);
  }

  // the latest frame over HTTP (with the token) instead of /ws: one camera, a few frames a second
  function startPolling() {
    if (polling) return;
    $('state').textContent = 'polling /api/frames/latest (reads need the token)';
    polling = setInterval(pollFrame, 300);
  }

  async function pollFrame() {
    if (!FN.token() || !visible) return;
    try {
      const meta = await FN.get('/api/frames/latest/meta.json');
      if (meta.seq === lastPolledSeq) return;
      lastPolledSeq = meta.seq;
      const overlay = await FN.blob('/api/frames/latest/overlay.jpg');
      const confidence = await FN.blob('/api/frames/latest/confidence.png');
      const urls = [URL.createObjectURL(overlay.blob), URL.createObjectURL(confidence.blob)];
      viewer.receive(meta.camera, 'overlay', { url: urls[0] });
      viewer.receive(meta.camera, 'meta', meta);
      viewer.receive(meta.camera, 'confidence', { url: urls[1] });
      live.polledFrames++;
      $('state').textContent = 'polling (token)';
      setTimeout(() => urls.forEach((u) => URL.revokeObjectURL(u)), 10000);
    } catch (e) {
      if (!(e instanceof FN.ApiError)) $('state').textContent = 'no answer: ' + e.message;
    }
  }

  function bars(el, entries, unit, bad) {
    const max = Math.max(1e-9, ...entries.map((e) => e[1]));
    el.innerHTML = '';
    for (const [name, value] of entries) {
      const row = document.createElement('div');
      if (bad && value > 0) row.className = 'bad';
      const label = document.createElement('span');
      label.textContent = name;
      const bar = document.createElement('span');
      const fill = document.createElement('i');
      fill.style.width = (100 * value / max).toFixed(1) + '%';
      bar.appendChild(fill);
      const figure = document.createElement('span');
      figure.textContent = (Number.isInteger(value) ? value : value.toFixed(1)) + (unit || '');
      row.append(label, bar, figure);
      el.appendChild(row);
    }
  }

  function latency(ms) {
    bars($('latencyBars'), Object.entries(ms).filter((e) => typeof e[1] === 'number'), ' ms');
  }

  function status(s) {
    if (s.drops) {
      const byReason = Object.entries(s.drops.byReason || {});
      byReason.sort((a, b) => b[1] - a[1]);
      bars($('dropList'), [['total', s.drops.total || 0]].concat(byReason), '', true);
    }
    const queues = [];
    for (const [name, section] of Object.entries(s)) {
      if (section && typeof section.queueDepth === 'number') queues.push([name, section.queueDepth]);
    }
    bars($('queueList'), queues, '');
    const r = s.replay;
    $('replayBox').hidden = !r;
    if (r) {
      $('replayDrive').textContent = r.drive ? '(' + r.drive + ', ' + r.mode + ', ' + r.rate + ')' : '';
      $('replayState').textContent = r.state;
      $('replayFrame').textContent = r.nextFrame;
      $('replayFrames').textContent = r.frames;
      const seek = $('replaySeek');
      seek.max = Math.max(0, (r.frames || 1) - 1);
      if (document.activeElement !== seek) seek.value = r.nextFrame || 0;
    }
    const enc = s.projection && s.projection.encoding;
    $('pointsNote').textContent = enc && enc !== 'zod-basic'
      ? 'LiDAR points are drawn for the zod-basic encoding only (this node encodes ' + enc + ')' : '';
  }

  async function replay(action, query) {
    try {
      const r = await FN.post('/api/replay/' + action + (query || ''));
      Ui.say('Replay: ' + action + ' done (' + (r.state || 'ok') + ').');
    } catch (e) {
      Ui.say('Replay ' + action + ' failed: ' + e.message, true);
    }
  }
  $('replayPause').onclick = () => replay('pause');
  $('replayResume').onclick = () => replay('resume');
  $('replaySeekGo').onclick = () => replay('seek', '?frame=' + $('replaySeek').value);
  $('replayRate').onchange = () => replay('rate', '?value=' + encodeURIComponent($('replayRate').value));

  // a class's colour; a black one (background, usually) is drawn light grey to stay visible on the image
  function classColour(index) {
    const c = classes[index];
    if (!c) return '#fff';
    return c.color === '#000000' ? '#c8c8c8' : c.color;
  }

  // depth (the zod-basic image's first channel: distance ahead, 0..100 m) as a hue, near red to far blue
  function depthColour(v) {
    return 'hsl(' + Math.round(240 * v / 255) + ',100%,55%)';
  }

  // the latest frame's LiDAR image (pixels a point landed on) and mask, drawn as dots over the overlay
  async function points() {
    const canvas = $('points');
    const g = canvas.getContext('2d');
    const on = $('pointsOn').checked;
    const enc = Ui.status && Ui.status.projection && Ui.status.projection.encoding;
    if (!on || pointsBusy || (enc && enc !== 'zod-basic') || (Ui.readsLocked && !FN.token())) {
      if (!on) g.clearRect(0, 0, canvas.width, canvas.height);
      return;
    }
    pointsBusy = true;
    try {
      const meta = await FN.get('/api/frames/latest/meta.json');
      if (meta.camera !== viewer.selected() || meta.seq === live.pointsSeq) return;
      const lidar = await FN.blob('/api/frames/latest/lidar.png');
      const mask = await FN.blob('/api/frames/latest/mask.png');
      const seq = String(meta.seq);
      if (lidar.headers.get('x-frame-seq') !== seq || mask.headers.get('x-frame-seq') !== seq) return;
      const li = (await GreyPng.pixels(lidar.blob)).data;
      const ma = (await GreyPng.pixels(mask.blob)).data;
      // drawn at the size the overlay is shown, so that a point is a small dot whatever the camera's size
      const shown = $('overlay').getBoundingClientRect();
      canvas.width = Math.max(1, Math.round(shown.width * (window.devicePixelRatio || 1)));
      canvas.height = Math.max(1, Math.round(canvas.width * li.height / li.width));
      const sx = canvas.width / li.width;
      const sy = canvas.height / li.height;
      const dot = Math.max(3, Math.round(3 * (window.devicePixelRatio || 1)));
      g.clearRect(0, 0, canvas.width, canvas.height);
      const byDepth = document.querySelector('input[name=pointColour]:checked').value === 'depth';
      let n = 0;
      for (let i = 0, p = 0; p < li.data.length; i++, p += 4) {
        if (!li.data[p] && !li.data[p + 1] && !li.data[p + 2]) continue;
        g.fillStyle = byDepth ? depthColour(li.data[p]) : classColour(ma.data[p]);
        g.fillRect(((i % li.width) + 0.5) * sx - dot / 2, (Math.floor(i / li.width) + 0.5) * sy - dot / 2, dot, dot);
        n++;
      }
      live.pointsDrawn = n;
      live.pointsSeq = meta.seq;
    } catch (e) {
      if (e.status === 404) $('pointsNote').textContent = 'the latest frame has no LiDAR (camera-only)';
    } finally {
      pointsBusy = false;
    }
  }

  return {
    show: () => { visible = true; start(); },
    hide: () => { visible = false; },
    status: status,
    tokenChanged: () => { if (Ui.readsLocked && started) startPolling(); },
  };
})();
