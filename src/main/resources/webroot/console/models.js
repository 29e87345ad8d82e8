// Console view "Models": the model in service and the kept versions (GET /api/models) with provenance and
// validation scores; a version is put into service (activation or rollback) after one confirmation
// (POST /api/models/activate).
'use strict';
const ConsoleModels = (() => {
  const $ = (id) => document.getElementById(id);
  let visible = false;
  let pending = null;
  const state = { versions: [], activated: [] };
  window.fusionModels = state;

  async function refresh() {
    try {
      const m = await FN.get('/api/models');
      served(m.models && m.models[0]);
      state.versions = m.versions || [];
      const configured = Ui.status && Ui.status.training && Ui.status.training.servedModel
        ? Ui.status.training.servedModel.configured : null;
      const body = $('versions').tBodies[0];
      body.innerHTML = '';
      for (const v of state.versions.slice().reverse()) {
        const tr = document.createElement('tr');
        tr.dataset.version = v.version;
        if (v.inService) tr.className = 'serving';
        const created = v.created ? new Date(v.created).toLocaleString() : '';
        const miou = typeof v.validationMiou === 'number' ? v.validationMiou.toFixed(4) : '-';
        for (const text of [v.version + (v.version === configured ? ' (configured)' : ''), v.source, miou, created]) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.appendChild(td);
        }
        const td = document.createElement('td');
        if (v.inService) {
          td.textContent = 'in service';
        } else {
          const b = document.createElement('button');
          b.className = 'activate';
          b.textContent = v.version === configured ? 'Roll back to it' : 'Activate';
          b.onclick = () => ask(v.version);
          td.appendChild(b);
        }
        tr.appendChild(td);
        body.appendChild(tr);
      }
      if (!m.versions) {
        $('versions').tBodies[0].innerHTML = '<tr><td colspan="5" class="dim">Fine-tuning is off on this node:'
          + ' no versions are kept (training.enabled and a model served from a paper config).</td></tr>';
      }
    } catch (e) {
      Ui.say('The models cannot be read: ' + e.message, true);
    }
  }

  function served(m) {
    const box = $('modelServed');
    if (!m) {
      box.textContent = 'No model is in service (inference is off).';
      return;
    }
    const rows = [['version', m.version], ['backbone', m.backbone + ' ' + m.mode], ['image size', m.imageSize],
      ['parameters', m.parameters], ['device', m.device], ['provenance', m.provenance],
      ['classes', (m.classes || []).map((c) => c.name).join(', ')]];
    const why = Ui.status && Ui.status.training && Ui.status.training.servedModel;
    if (why) rows.push(['why', why.because + (why.since ? ' (since ' + new Date(why.since).toLocaleString() + ')' : '')]);
    const dl = document.createElement('dl');
    for (const [k, v] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v === undefined || v === null ? '-' : String(v);
      dl.append(dt, dd);
    }
    box.innerHTML = '';
    box.appendChild(dl);
  }

  function ask(version) {
    pending = version;
    $('confirmText').textContent = 'Put ' + version + ' into service instead of ' + $('served').textContent
      + '? The swap happens between batches; no frame is lost.';
    $('confirmBar').hidden = false;
  }

  $('confirmNo').onclick = () => {
    pending = null;
    $('confirmBar').hidden = true;
  };
  $('confirmYes').onclick = async () => {
    const v = pending;
    $('confirmBar').hidden = true;
    pending = null;
    if (!v) return;
    try {
      const r = await FN.post('/api/models/activate', { version: v });
      state.activated.push(r.serving);
      Ui.say(r.serving + ' is now in service.');
    } catch (e) {
      Ui.say(v + ' was not activated: ' + e.message, true);
    }
    refresh();
  };

  return {
    show: () => {
      visible = true;
      refresh();
    },
    hide: () => { visible = false; },
    tokenChanged: () => { if (visible) refresh(); },
    status: () => {},
  };
})();
