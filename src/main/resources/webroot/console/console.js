// Fusion Node console: views, the API token, the served version and messages; each view is its own script.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const views = { live: ConsoleLive, annotate: ConsoleAnnotate, finetune: ConsoleFineTune, models: ConsoleModels };
  let current = null;
  let statusFailures = 0;
  // what the test and a curious person can read: the state of each view
  window.fusionConsole = { view: () => current, status: null, served: () => $('served').textContent };

  function show(name) {
    if (!views[name]) name = 'live';
    for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.dataset.view === name);
    for (const v of Object.keys(views)) $('view-' + v).hidden = v !== name;
    if (current && current !== name && views[current].hide) views[current].hide();
    current = name;
    views[name].show();
  }

  // messages: what happened, or what went wrong and what to do
  Ui.say = (text, error) => {
    const m = $('message');
    m.textContent = text;
    m.classList.toggle('error', !!error);
    m.hidden = !text;
  };

  function authNote(text) {
    $('authNote').textContent = text;
    $('authNote').hidden = !text;
  }

  FN.onRefused((r) => {
    const what = r.method === 'GET' ? 'reading ' + r.path : r.method + ' ' + r.path;
    if (r.status === 403) {
      authNote('The API token is not valid (' + what + ' was refused with 403). Paste the node\'s token into'
        + ' "API token" above and press "Use token".');
    } else {
      authNote('This node has an API token: ' + what + ' needs it. Paste the token into "API token" above and'
        + ' press "Use token". It is kept only in this browser tab and sent as "Authorization: Bearer".');
    }
  });

  $('tokenForm').addEventListener('submit', (ev) => {
    ev.preventDefault();
    FN.setToken($('token').value);
    $('token').value = '';
    authNote('');
    Ui.say(FN.token() ? 'Token in use for this tab.' : '');
    Ui.tokenChanged();
  });
  $('tokenForget').addEventListener('click', () => {
    FN.setToken('');
    Ui.say('Token forgotten.');
    Ui.tokenChanged();
  });

  // every view reacts when the token changes (reads may now work)
  Ui.tokenChanged = () => {
    for (const v of Object.values(views)) if (v.tokenChanged) v.tokenChanged();
    pollStatus();
  };

  // /api/status once a second: the served version, the live view's figures, whether a token is needed
  async function pollStatus() {
    try {
      const s = await FN.get('/api/status');
      statusFailures = 0;
      window.fusionConsole.status = s;
      const served = (s.training && s.training.servedModel && s.training.servedModel.version)
        || (s.inference && s.inference.model) || '-';
      $('served').textContent = served;
      if (s.http && s.http.tokenRequired && !FN.token()) {
        authNote('This node has an API token: actions (saving annotations, fine-tunes, activating models, replay'
          + ' control) need it. Paste the token into "API token" above and press "Use token"; it is kept only in'
          + ' this browser tab.');
      }
      const hard = s.training ? s.training.hardFrames : null;
      $('queueCount').textContent = hard ? String(hard) : '';
      Ui.status = s;
      Ui.readsLocked = !!(s.http && s.http.readsNeedToken);
      for (const v of Object.values(views)) if (v.status) v.status(s);
    } catch (e) {
      statusFailures++;
      if (e.status === 401 || e.status === 403) Ui.readsLocked = true;
      if (!(e instanceof FN.ApiError) && statusFailures > 2) Ui.say('The node does not answer: ' + e.message, true);
    }
  }

  window.addEventListener('hashchange', () => show(location.hash.slice(1)));
  show(location.hash.slice(1) || 'live');
  pollStatus();
  setInterval(pollStatus, 1000);
})();
