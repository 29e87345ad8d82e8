// Console view "Hard frames": the frames the node kept for annotation (GET /api/unlabelled), each opened with the
// served model's mask as the starting point (GET /api/unlabelled/{id}/mask.png), corrected with a brush and a
// polygon per class or "ignore" (255), and saved as the frame's annotation (POST /api/annotations?frame={id}),
// after which the frame leaves the queue. Keys: 1..9 classes, 0 ignore, b brush, p polygon, [ ] brush size,
// z or ctrl+z undo, Enter closes a polygon, Escape drops it.
'use strict';
const ConsoleAnnotate = (() => {
  const $ = (id) => document.getElementById(id);
  const IGNORE = 255;
  const cameraCanvas = $('editCamera');
  const labelCanvas = $('editLabels');
  const toolCanvas = $('editTool');
  let visible = false;
  let classes = []; // {index, name, color, datasetId}
  const colours = new Map(); // dataset id -> [r, g, b]
  let current = null; // the open kept frame (its meta)
  let width = 0;
  let height = 0;
  let labels = null; // Uint8Array, a dataset id (or 255) per pixel
  let undoStack = [];
  let cls = IGNORE;
  let tool = 'brush';
  let brush = 8;
  let polygon = [];
  let stroke = null;
  let frames = [];
  const state = { ready: false, saved: [], opened: 0 };
  window.fusionAnnotate = {
    state: state,
    current: () => current && current.id,
    labelAt: (x, y) => (labels ? labels[y * width + x] : -1),
    size: () => [width, height],
  };

  async function loadClasses() {
    if (classes.length) return;
    const m = await FN.get('/api/models');
    classes = m.annotationClasses || [];
    colours.clear();
    for (const c of classes) colours.set(c.datasetId, hex(c.color));
    colours.set(IGNORE, [128, 128, 128]);
    const box = $('classButtons');
    box.innerHTML = '';
    classes.forEach((c, i) => box.appendChild(classButton((i + 1) + ' ' + c.name, c.color, c.datasetId)));
    box.appendChild(classButton('0 ignore', '#808080', IGNORE));
    pick(classes.length > 1 ? classes[1].datasetId : IGNORE);
  }

  function classButton(text, colour, id) {
    const b = document.createElement('button');
    b.className = 'cls';
    b.dataset.id = id;
    const swatch = document.createElement('i');
    swatch.style.background = colour;
    b.append(swatch, document.createTextNode(text));
    b.onclick = () => pick(id);
    return b;
  }

  function hex(c) {
    const v = parseInt(c.slice(1), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }

  function pick(id) {
    cls = id;
    for (const b of document.querySelectorAll('button.cls')) b.classList.toggle('active', Number(b.dataset.id) === id);
  }

  function useTool(t) {
    tool = t;
    polygon = [];
    drawTool(null);
    $('toolBrush').classList.toggle('active', t === 'brush');
    $('toolPolygon').classList.toggle('active', t === 'polygon');
  }

  function setBrush(size) {
    brush = Math.max(1, Math.min(60, size));
    $('brushSize').value = brush;
    $('brushSizeValue').textContent = brush;
  }

  async function refresh() {
    try {
      const reason = $('queueReason').value;
      const r = await FN.get('/api/unlabelled' + (reason ? '?reason=' + reason : ''));
      frames = r.frames || [];
      const body = $('queue').tBodies[0];
      body.innerHTML = '';
      for (const f of frames) {
        const tr = document.createElement('tr');
        tr.dataset.id = f.id;
        if (current && current.id === f.id) tr.className = 'selected';
        const kept = f.keptAtMs ? new Date(f.keptAtMs).toLocaleTimeString() : '';
        for (const text of [f.id, f.reason, pct(f.unfamiliarity), kept]) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.appendChild(td);
        }
        tr.onclick = () => open(f);
        body.appendChild(tr);
      }
      $('queueEmpty').hidden = frames.length > 0;
      state.ready = true;
    } catch (e) {
      Ui.say('The queue cannot be read: ' + e.message, true);
    }
  }

  function pct(u) {
    return typeof u === 'number' ? (100 * u).toFixed(1) + ' %' : '';
  }

  async function open(f) {
    try {
      await loadClasses();
      $('editorInfo').textContent = 'Opening kept frame ' + f.id + ' (the served model segments it)...';
      const cam = await GreyPng.pixels((await FN.blob('/api/unlabelled/' + f.id + '/camera.png')).blob);
      width = cam.data.width;
      height = cam.data.height;
      labels = new Uint8Array(width * height).fill(IGNORE);
      let from = 'no starting mask: every pixel starts as ignore';
      try {
        const mask = await FN.blob('/api/unlabelled/' + f.id + '/mask.png');
        const m = (await GreyPng.pixels(mask.blob)).data;
        for (let i = 0; i < labels.length; i++) labels[i] = m.data[4 * i];
        from = 'starting from the mask of ' + (mask.headers.get('x-model-version') || 'the served model');
      } catch (e) {
        from += ' (' + e.message + ')';
      }
      for (const c of [cameraCanvas, labelCanvas, toolCanvas]) {
        c.width = width;
        c.height = height;
      }
      cameraCanvas.getContext('2d').drawImage(cam.bitmap, 0, 0);
      current = f;
      undoStack = [];
      polygon = [];
      render(0, 0, width, height);
      drawTool(null);
      $('save').disabled = false;
      $('drop').disabled = false;
      $('editorInfo').textContent = 'Kept frame ' + f.id + ' (' + f.reason + ', camera ' + (f.camera || '-')
        + ', unfamiliarity ' + pct(f.unfamiliarity) + '), ' + width + 'x' + height + ', ' + from + '.';
      for (const tr of $('queue').tBodies[0].rows) tr.classList.toggle('selected', Number(tr.dataset.id) === f.id);
      state.opened++;
    } catch (e) {
      Ui.say('Kept frame ' + f.id + ' cannot be opened: ' + e.message, true);
    }
  }

  // the labels as colours over the camera image, in the rectangle [x0, x1) x [y0, y1)
  function render(x0, y0, x1, y1) {
    x0 = Math.max(0, Math.floor(x0));
    y0 = Math.max(0, Math.floor(y0));
    x1 = Math.min(width, Math.ceil(x1));
    y1 = Math.min(height, Math.ceil(y1));
    if (x1 <= x0 || y1 <= y0) return;
    const g = labelCanvas.getContext('2d');
    const img = g.createImageData(x1 - x0, y1 - y0);
    const alpha = Math.round(2.55 * Number($('labelOpacity').value));
    let p = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++, p += 4) {
        const id = labels[y * width + x];
        let c = colours.get(id) || [255, 0, 255];
        if (id === IGNORE && ((x + y) >> 2) % 2) c = [60, 60, 60];
        img.data[p] = c[0];
        img.data[p + 1] = c[1];
        img.data[p + 2] = c[2];
        img.data[p + 3] = alpha;
      }
    }
    g.putImageData(img, x0, y0);
  }

  function pushUndo() {
    undoStack.push(labels.slice());
    if (undoStack.length > 40) undoStack.shift();
  }

  function undo() {
    if (!undoStack.length) return;
    labels = undoStack.pop();
    render(0, 0, width, height);
  }

  function at(ev) {
    const r = toolCanvas.getBoundingClientRect();
    return [(ev.clientX - r.left) * width / r.width, (ev.clientY - r.top) * height / r.height];
  }

  function dab(x, y) {
    const r = brush / 2;
    const r2 = r * r;
    for (let yy = Math.floor(y - r); yy <= Math.ceil(y + r); yy++) {
      if (yy < 0 || yy >= height) continue;
      for (let xx = Math.floor(x - r); xx <= Math.ceil(x + r); xx++) {
        if (xx < 0 || xx >= width) continue;
        const dx = xx + 0.5 - x;
        const dy = yy + 0.5 - y;
        if (dx * dx + dy * dy <= r2) labels[yy * width + xx] = cls;
      }
    }
    render(x - r - 1, y - r - 1, x + r + 2, y + r + 2);
  }

  function paintTo(x, y) {
    const [px, py] = stroke;
    const steps = Math.max(1, Math.ceil(Math.hypot(x - px, y - py) / Math.max(1, brush / 4)));
    for (let s = 1; s <= steps; s++) dab(px + (x - px) * s / steps, py + (y - py) * s / steps);
    stroke = [x, y];
  }

  function fillPolygon() {
    if (polygon.length < 3) return;
    pushUndo();
    const c = document.createElement('canvas');
    c.width = width;
    c.height = height;
    const g = c.getContext('2d', { willReadFrequently: true });
    g.fillStyle = '#fff';
    g.beginPath();
    g.moveTo(polygon[0][0], polygon[0][1]);
    for (const [x, y] of polygon.slice(1)) g.lineTo(x, y);
    g.closePath();
    g.fill();
    const d = g.getImageData(0, 0, width, height).data;
    for (let i = 0; i < labels.length; i++) if (d[4 * i + 3] >= 128) labels[i] = cls;
    polygon = [];
    render(0, 0, width, height);
    drawTool(null);
  }

  // the brush outline or the polygon being drawn
  function drawTool(pos) {
    const g = toolCanvas.getContext('2d');
    g.clearRect(0, 0, toolCanvas.width, toolCanvas.height);
    g.strokeStyle = '#fff';
    g.lineWidth = Math.max(1, width / 640);
    if (tool === 'brush' && pos) {
      g.beginPath();
      g.arc(pos[0], pos[1], brush / 2, 0, 2 * Math.PI);
      g.stroke();
    }
    if (tool === 'polygon' && polygon.length) {
      g.beginPath();
      g.moveTo(polygon[0][0], polygon[0][1]);
      for (const [x, y] of polygon.slice(1)) g.lineTo(x, y);
      if (pos) g.lineTo(pos[0], pos[1]);
      g.stroke();
      for (const [x, y] of polygon) g.strokeRect(x - 2, y - 2, 4, 4);
    }
  }

  toolCanvas.addEventListener('mousedown', (ev) => {
    if (!labels || ev.button !== 0) return;
    const p = at(ev);
    if (tool === 'brush') {
      pushUndo();
      stroke = p;
      dab(p[0], p[1]);
    } else {
      const first = polygon[0];
      const near = first && Math.hypot(p[0] - first[0], p[1] - first[1]) < 6 * width / toolCanvas.getBoundingClientRect().width;
      if (near && polygon.length >= 3) fillPolygon();
      else polygon.push(p);
      drawTool(p);
    }
  });
  toolCanvas.addEventListener('mousemove', (ev) => {
    if (!labels) return;
    const p = at(ev);
    if (stroke) paintTo(p[0], p[1]);
    drawTool(p);
  });
  window.addEventListener('mouseup', () => { stroke = null; });
  toolCanvas.addEventListener('mouseleave', () => drawTool(null));
  toolCanvas.addEventListener('dblclick', () => { if (tool === 'polygon') fillPolygon(); });

  document.addEventListener('keydown', (ev) => {
    if (!visible || !labels) return;
    const tag = ev.target && ev.target.tagName;
    if ((tag === 'INPUT' && ev.target.type !== 'range') || tag === 'SELECT' || tag === 'TEXTAREA') return;
    const k = ev.key;
    if (k >= '1' && k <= '9' && classes[Number(k) - 1]) pick(classes[Number(k) - 1].datasetId);
    else if (k === '0') pick(IGNORE);
    else if (k === 'b') useTool('brush');
    else if (k === 'p') useTool('polygon');
    else if (k === 'z' || (k === 'Z' && (ev.ctrlKey || ev.metaKey))) undo();
    else if (k === '[') setBrush(brush - (brush > 10 ? 4 : 1));
    else if (k === ']') setBrush(brush + (brush >= 10 ? 4 : 1));
    else if (k === 'Enter' && tool === 'polygon') fillPolygon();
    else if (k === 'Escape') { polygon = []; drawTool(null); }
    else return;
    ev.preventDefault();
  });

  async function save() {
    if (!current) return;
    const f = current;
    $('save').disabled = true;
    try {
      const png = await GreyPng.encode(labels, width, height);
      const form = new FormData();
      form.append('annotation', png, 'annotation.png');
      const r = await FN.json('POST', '/api/annotations?frame=' + f.id, form);
      state.saved.push(r);
      Ui.say('Saved: kept frame ' + f.id + ' is now annotated frame ' + r.id + ' of the store (' + r.frames
        + ' frames); it has left the queue.');
      closeFrame();
      await refresh();
    } catch (e) {
      Ui.say('The annotation of kept frame ' + f.id + ' was not saved: ' + e.message, true);
      $('save').disabled = false;
    }
  }

  async function drop() {
    if (!current || !window.confirm('Drop kept frame ' + current.id + ' without annotating it?')) return;
    try {
      await FN.del('/api/unlabelled/' + current.id);
      Ui.say('Kept frame ' + current.id + ' dropped.');
      closeFrame();
      await refresh();
    } catch (e) {
      Ui.say('Kept frame ' + current.id + ' was not dropped: ' + e.message, true);
    }
  }

  function closeFrame() {
    current = null;
    labels = null;
    $('save').disabled = true;
    $('drop').disabled = true;
    $('editorInfo').textContent = 'Open a frame from the list.';
    for (const c of [cameraCanvas, labelCanvas, toolCanvas]) c.getContext('2d').clearRect(0, 0, c.width, c.height);
  }

  $('toolBrush').onclick = () => useTool('brush');
  $('toolPolygon').onclick = () => useTool('polygon');
  $('brushSize').oninput = () => setBrush(Number($('brushSize').value));
  $('undo').onclick = undo;
  $('labelOpacity').oninput = () => { if (labels) render(0, 0, width, height); };
  $('save').onclick = save;
  $('drop').onclick = drop;
  $('queueRefresh').onclick = refresh;
  $('queueReason').onchange = refresh;
  useTool('brush');
  setBrush(8);

  return {
    show: () => {
      visible = true;
      loadClasses().catch((e) => Ui.say('Classes cannot be read: ' + e.message, true));
      refresh();
    },
    hide: () => { visible = false; },
    tokenChanged: () => { if (visible) { classes = []; loadClasses().catch(() => {}); refresh(); } },
  };
})();
