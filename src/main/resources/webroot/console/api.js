// Fusion Node console: the node's HTTP API from the page, with the API token when one is given.
// The token stays in this tab's sessionStorage and goes out as 'Authorization: Bearer <token>', the header the
// node checks. Server-Sent Events are read with fetch (EventSource cannot send that header).
'use strict';
const FN = (() => {
  const KEY = 'fusionnode.token';
  let token = sessionStorage.getItem(KEY) || '';
  const authListeners = [];

  class ApiError extends Error {
    constructor(status, message, body) {
      super(message);
      this.status = status;
      this.body = body;
    }
  }

  function headers(extra) {
    const h = Object.assign({}, extra || {});
    if (token) h.Authorization = 'Bearer ' + token;
    return h;
  }

  function refused(status, method, path) {
    for (const fn of authListeners) fn({ status: status, method: method, path: path });
  }

  // a request; 401/403 are reported to the page (which says what to do) and thrown
  async function request(method, path, body) {
    const init = { method: method, headers: headers() };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['content-type'] = 'application/json';
    }
    const res = await fetch(path, init);
    if (res.status === 401 || res.status === 403) {
      const j = await res.json().catch(() => ({}));
      refused(res.status, method, path);
      throw new ApiError(res.status, j.error || 'HTTP ' + res.status, j);
    }
    return res;
  }

  async function json(method, path, body) {
    const res = await request(method, path, body);
    const text = await res.text();
    let j = {};
    try { j = text ? JSON.parse(text) : {}; } catch (e) { j = { error: text }; }
    if (!res.ok) throw new ApiError(res.status, j.error || 'HTTP ' + res.status, j);
    return j;
  }

  // a binary answer as a Blob (images the page cannot load with <img src>, which sends no header)
  async function blob(path) {
    const res = await request('GET', path);
    if (!res.ok) {
      const j = await res.json().catch(() => ({}));
      throw new ApiError(res.status, j.error || 'HTTP ' + res.status, j);
    }
    return { blob: await res.blob(), headers: res.headers };
  }

  // Server-Sent Events over fetch: calls onEvent(name, data) for each event; onEnd when the stream ends
  function events(path, onEvent, onEnd) {
    const ctl = new AbortController();
    (async () => {
      try {
        const res = await fetch(path, { headers: headers({ accept: 'text/event-stream' }), signal: ctl.signal });
        if (res.status === 401 || res.status === 403) refused(res.status, 'GET', path);
        if (!res.ok) throw new ApiError(res.status, 'HTTP ' + res.status, {});
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            let name = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) name = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (data.length) onEvent(name, data.join('\n'));
          }
        }
        if (onEnd) onEnd(null);
      } catch (e) {
        if (onEnd && e.name !== 'AbortError') onEnd(e);
      }
    })();
    return { close: () => ctl.abort() };
  }

  return {
    ApiError: ApiError,
    get: (path) => json('GET', path),
    post: (path, body) => json('POST', path, body),
    del: (path) => json('DELETE', path),
    json: json,
    blob: blob,
    events: events,
    token: () => token,
    setToken: (t) => {
      token = (t || '').trim();
      if (token) sessionStorage.setItem(KEY, token);
      else sessionStorage.removeItem(KEY);
    },
    onRefused: (fn) => authListeners.push(fn),
  };
})();

// what the views share: the latest /api/status, whether reads need the token, and the message line
const Ui = { status: null, readsLocked: false, say: () => {}, tokenChanged: () => {} };
