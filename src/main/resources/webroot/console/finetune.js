// Console view "Fine-tune": start a job (POST /api/finetune; the form shows the node's defaults), watch it live
// over GET /api/finetune/{id}/events (Server-Sent Events: epoch, loss, per-class validation IoU drawn as a chart),
// cancel it (DELETE /api/finetune/{id}) and see its outcome: promoted, or kept as a candidate, with the new and the
// serving model's validation mIoU.
'use strict';
const ConsoleFineTune = (() => {
  const $ = (id) => document.getElementById(id);
  const TERMINAL = ['promoted', 'candidate', 'cancelled', 'failed'];
  let visible = false;
  let stream = null;
  let watched = null;
  let classColours = {};
  const state = { job: null, events: 0 };
  window.fusionFineTune = state;

  async function loadColours() {
    try {
      const m = await FN.get('/api/models');
      const served = (m.models || [])[0];
      for (const c of (served && served.classes) || []) classColours[c.name] = c.color;
    } catch (e) {
      // the chart falls back to its own colours
    }
  }

  async function refresh() {
    try {
      const r = await FN.get('/api/finetune');
      const form = $('ftForm');
      const d = r.defaults || {};
      for (const k of ['epochs', 'lr', 'batchSize']) {
        if (form.elements[k].value === '' && d[k] !== undefined) form.elements[k].value = d[k];
      }
      for (const k of ['mode', 'loss']) if (d[k] && !form.dataset.touched) form.elements[k].value = d[k];
      $('ftDefaults').textContent = 'Defaults of this node: ' + Object.entries(d)
        .filter((e) => e[1] !== null).map((e) => e[0] + ' ' + JSON.stringify(e[1])).join(', ');
      const body = $('jobs').tBodies[0];
      body.innerHTML = '';
      for (const j of r.jobs.slice().reverse()) {
        const tr = document.createElement('tr');
        if (watched === j.id) tr.className = 'selected';
        for (const text of [j.id, j.state, epochText(j), outcomeText(j)]) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.appendChild(td);
        }
        tr.onclick = () => watch(j.id);
        body.appendChild(tr);
      }
    } catch (e) {
      Ui.say('Fine-tune jobs cannot be read: ' + e.message, true);
    }
  }

  function epochText(j) {
    return j.epoch >= 0 ? (j.epoch + 1) + '/' + j.epochs : '-/' + j.epochs;
  }

  function f4(x) {
    return typeof x === 'number' ? x.toFixed(4) : '-';
  }

  function outcomeText(j) {
    const r = j.result || {};
    if (j.state === 'promoted') return 'promoted ' + r.version + ' (mIoU ' + f4(r.validationMiouBefore) + ' -> ' + f4(r.validationMiouAfter) + ')';
    if (j.state === 'candidate') return 'candidate ' + r.version + ' (mIoU ' + f4(r.validationMiouAfter) + ' vs ' + f4(r.validationMiouBefore) + ')';
    if (j.state === 'failed') return 'failed: ' + j.error;
    return j.state === 'cancelled' ? 'cancelled' : '';
  }

  function watch(id) {
    if (stream) stream.close();
    watched = id;
    $('jobId').textContent = id;
    $('jobOutcome').textContent = '';
    $('jobOutcome').className = 'outcome';
    stream = FN.events('/api/finetune/' + encodeURIComponent(id) + '/events', (name, data) => {
      if (name === 'job') update(JSON.parse(data));
    }, (err) => {
      stream = null;
      if (err) Ui.say('The job\'s event stream ended: ' + err.message, true);
      refresh();
    });
  }

  function update(j) {
    state.job = j;
    state.events++;
    $('jobState').textContent = j.state;
    $('jobEpoch').textContent = j.epoch >= 0 ? j.epoch + 1 : '-';
    $('jobEpochs').textContent = j.epochs;
    $('jobLoss').textContent = typeof j.loss === 'number' ? j.loss.toFixed(4) : '-';
    $('jobCancel').disabled = TERMINAL.includes(j.state);
    chart(j);
    const out = $('jobOutcome');
    if (TERMINAL.includes(j.state)) {
      out.className = 'outcome ' + j.state;
      const r = j.result || {};
      if (j.state === 'promoted') {
        out.textContent = 'Promoted: ' + r.version + ' now serves (validation mIoU of the serving model '
          + f4(r.validationMiouBefore) + ', of the new one ' + f4(r.validationMiouAfter) + ').';
      } else if (j.state === 'candidate') {
        out.textContent = 'Kept as candidate ' + r.version + ': validation mIoU ' + f4(r.validationMiouAfter)
          + ', not above the serving model\'s ' + f4(r.validationMiouBefore) + '. Activate it under Models if wanted.';
      } else if (j.state === 'failed') {
        out.textContent = 'Failed: ' + j.error;
      } else {
        out.textContent = 'Cancelled: nothing of it is kept or served.';
      }
      refresh();
    }
  }

  // per-class validation IoU by epoch (solid), and the mean (dashed white)
  function chart(j) {
    const c = $('iouChart');
    const g = c.getContext('2d');
    const W = c.width;
    const H = c.height;
    const L = 40;
    const B = 24;
    const history = j.history || [];
    // the IoU axis up to the next quarter above the highest value (at least 0.25, at most 1)
    let top = 0.25;
    for (const h of history) {
      for (const v of Object.values(h.validation)) {
        const x = v && typeof v === 'object' ? v.iou : null;
        if (typeof x === 'number') top = Math.max(top, Math.min(1, Math.ceil(x * 4 + 1e-9) / 4));
      }
    }
    g.clearRect(0, 0, W, H);
    g.fillStyle = '#999';
    g.strokeStyle = '#444';
    g.font = '11px system-ui, sans-serif';
    for (let v = 0; v <= top + 1e-4; v += top / 4) {
      const y = H - B - (v / top) * (H - B - 10);
      g.beginPath();
      g.moveTo(L, y);
      g.lineTo(W - 10, y);
      g.stroke();
      g.fillText(v.toFixed(2), 4, y + 4);
    }
    const epochs = Math.max(2, j.epochs);
    const x = (e) => L + (W - L - 10) * e / (epochs - 1);
    const y = (v) => H - B - (v / top) * (H - B - 10);
    const every = Math.ceil(epochs / 12);
    for (let e = 0; e < epochs; e += every) g.fillText(String(e + 1), x(e) - 3, H - 8);
    const names = history.length ? Object.keys(history[0].validation).filter((k) => {
      const v = history[0].validation[k];
      return v && typeof v === 'object' && 'iou' in v;
    }) : [];
    const palette = ['#888', '#e55', '#fd4', '#5c5', '#59f', '#c6f', '#4dd'];
    const legend = [];
    const series = names.map((n, i) => [n, classColours[n] || palette[i % palette.length], (v) => v[n].iou, []]);
    series.push(['mean', '#fff', (v) => v.mean_iou, [5, 4]]);
    for (const [name, colour, value, dash] of series) {
      g.strokeStyle = colour;
      g.fillStyle = colour;
      g.setLineDash(dash);
      g.lineWidth = 2;
      g.beginPath();
      history.forEach((h, i) => {
        const v = value(h.validation);
        if (i === 0) g.moveTo(x(h.epoch), y(v));
        else g.lineTo(x(h.epoch), y(v));
      });
      g.stroke();
      for (const h of history) g.fillRect(x(h.epoch) - 2, y(value(h.validation)) - 2, 4, 4);
      const last = history.length ? value(history[history.length - 1].validation) : null;
      legend.push('<span><i style="background:' + colour + '"></i>' + name
        + (typeof last === 'number' ? ' ' + last.toFixed(3) : '') + '</span>');
    }
    g.setLineDash([]);
    $('chartLegend').innerHTML = history.length ? 'validation IoU by epoch: ' + legend.join('')
      : 'validation IoU by epoch: the first point comes when the first epoch ends';
  }

  $('ftForm').addEventListener('change', () => { $('ftForm').dataset.touched = '1'; });
  $('ftForm').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = $('ftForm').elements;
    const body = { mode: f.mode.value, loss: f.loss.value };
    for (const k of ['epochs', 'batchSize']) if (f[k].value !== '') body[k] = parseInt(f[k].value, 10);
    if (f.lr.value !== '') body.lr = parseFloat(f.lr.value);
    try {
      const job = await FN.post('/api/finetune', body);
      Ui.say('Fine-tune ' + job.id + ' started on ' + job.parameters.frames + ' annotated frames.');
      watch(job.id);
      refresh();
    } catch (e) {
      Ui.say('The fine-tune was not started: ' + e.message, true);
    }
  });
  $('jobCancel').onclick = async () => {
    if (!watched) return;
    try {
      await FN.del('/api/finetune/' + encodeURIComponent(watched));
      Ui.say('Cancelling ' + watched + ': it stops at the next batch.');
    } catch (e) {
      Ui.say(watched + ' was not cancelled: ' + e.message, true);
    }
  };

  return {
    show: () => {
      visible = true;
      loadColours();
      refresh();
    },
    hide: () => { visible = false; },
    tokenChanged: () => { if (visible) refresh(); },
  };
})();
