// Goes through the learning loop in the node's console as a person would, in headless Debian Chromium
// (playwright-core): the live view (with LiDAR points), pause the replay, open a hard frame, paint a region with the
// brush and a polygon, undo a stray dab, save; start a small fine-tune and wait for its outcome; resume the replay;
// activate the version that is not in service and wait until the live view's frames come from it.
// Writes a screenshot of each view into <shots>/console-{live,annotate,finetune,models}.png and prints one JSON
// line: what was painted, the saved annotation, the job and the versions.
// Usage: node console_loop.mjs <playwright-core dir> <base url> <shots dir>
import { launchChromium } from './chromium.mjs';
const [pw, base, shots] = process.argv.slice(2);
const browser = await launchChromium(pw);
const log = (m) => console.error('[console_loop] ' + m);
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1050 } });
  page.on('pageerror', (e) => log('page error: ' + e.message));
  const tab = async (name) => {
    await page.click('#tabs a[data-view=' + name + ']');
    await page.waitForFunction((n) => window.fusionConsole.view() === n, name);
  };

  // Live: frames over /ws, LiDAR points over them, the replay running
  await page.goto(base + '/console/#live');
  await page.waitForFunction(() => window.fusionViewer.frames() >= 2 && window.fusionConsoleLive.pointsDrawn > 0
    && window.fusionConsole.status && window.fusionConsole.status.replay, null, { timeout: 120000 });
  await page.screenshot({ path: shots + '/console-live.png' });
  const live = await page.evaluate(() => ({ points: window.fusionConsoleLive.pointsDrawn,
    model: document.getElementById('model').textContent }));
  log('live: ' + JSON.stringify(live));
  await page.click('#replayPause');
  await page.waitForFunction(() => window.fusionConsole.status.replay.state === 'paused', null, { timeout: 30000 });

  // Hard frames: open the first, paint, save
  await tab('annotate');
  await page.waitForFunction(() => window.fusionAnnotate.state.ready
    && document.querySelectorAll('#queue tbody tr').length > 0, null, { timeout: 60000 });
  const kept = Number(await page.getAttribute('#queue tbody tr', 'data-id'));
  await page.click('#queue tbody tr');
  await page.waitForFunction((id) => window.fusionAnnotate.current() === id
    && document.getElementById('editorInfo').textContent.includes('starting from the mask'), kept, { timeout: 120000 });
  const [w, h] = await page.evaluate(() => window.fusionAnnotate.size());
  const box = await page.locator('#editTool').boundingBox();
  const client = (x, y) => [box.x + (x + 0.5) * box.width / w, box.y + (y + 0.5) * box.height / h];
  // the dataset id of each class button, in key order (1..n, then ignore)
  const classes = await page.evaluate(() => Array.from(document.querySelectorAll('button.cls'))
    .map((b) => Number(b.dataset.id)).filter((id) => id !== 255));
  const labelAt = (p) => page.evaluate(([x, y]) => window.fusionAnnotate.labelAt(x, y), p);
  // a class key whose class differs from the starting mask at p (and from `not`)
  const keyFor = async (p, not) => {
    const before = await labelAt(p);
    const k = classes.findIndex((id, i) => i > 0 && id !== before && id !== not);
    return [String(k + 1), classes[k]];
  };
  const rect = [Math.round(w * 0.3), Math.round(h * 0.4), Math.round(w * 0.5), Math.round(h * 0.55)];
  // brush: a class the mask does not have there, size 18 (keys "]"), strokes over the rectangle
  const [brushKey, brushClass] = await keyFor([Math.round((rect[0] + rect[2]) / 2), Math.round((rect[1] + rect[3]) / 2)]);
  await page.keyboard.press('b');
  await page.keyboard.press(brushKey);
  for (let i = 0; i < 4; i++) await page.keyboard.press(']');
  const size = Number(await page.textContent('#brushSizeValue'));
  for (let y = rect[1]; y <= rect[3]; y += Math.max(1, Math.floor(size / 3))) {
    await page.mouse.move(...client(rect[0], y));
    await page.mouse.down();
    await page.mouse.move(...client(rect[2], y), { steps: 8 });
    await page.mouse.up();
  }
  await page.mouse.move(...client(rect[0], rect[3]));
  await page.mouse.down();
  await page.mouse.move(...client(rect[2], rect[3]), { steps: 8 });
  await page.mouse.up();
  // a stray dab, undone with "z"
  const stray = [Math.round(w * 0.85), Math.round(h * 0.15)];
  const strayBefore = await labelAt(stray);
  await page.keyboard.press(strayBefore === classes[0] ? '2' : '1');
  await page.mouse.click(...client(...stray));
  const strayPainted = await labelAt(stray);
  await page.keyboard.press('z');
  const strayAfter = await labelAt(stray);
  // polygon: another class, a triangle closed with Enter
  const tri = [[Math.round(w * 0.6), Math.round(h * 0.2)], [Math.round(w * 0.8), Math.round(h * 0.2)],
    [Math.round(w * 0.7), Math.round(h * 0.5)]];
  const inside = [Math.round(w * 0.7), Math.round(h * 0.3)];
  const [polygonKey, polygonClass] = await keyFor(inside, brushClass);
  await page.keyboard.press('p');
  await page.keyboard.press(polygonKey);
  for (const p of tri) await page.mouse.click(...client(...p));
  await page.keyboard.press('Enter');
  const painted = await page.evaluate(([r, p]) => ({
    rect: window.fusionAnnotate.labelAt(Math.round((r[0] + r[2]) / 2), Math.round((r[1] + r[3]) / 2)),
    polygon: window.fusionAnnotate.labelAt(p[0], p[1]) }), [rect, inside]);
  log('painted: ' + JSON.stringify(painted));
  await page.screenshot({ path: shots + '/console-annotate.png' });
  await page.click('#save');
  await page.waitForFunction(() => window.fusionAnnotate.state.saved.length === 1, null, { timeout: 60000 });
  await page.waitForFunction((id) => !Array.from(document.querySelectorAll('#queue tbody tr'))
    .some((tr) => Number(tr.dataset.id) === id), kept, { timeout: 30000 });
  const saved = await page.evaluate(() => window.fusionAnnotate.state.saved[0]);

  // Fine-tune: 2 epochs of batch 2, watched to its outcome
  await tab('finetune');
  await page.waitForFunction(() => document.querySelector('#ftForm [name=epochs]').value !== '', null,
    { timeout: 30000 });
  await page.fill('#ftForm [name=epochs]', '2');
  await page.fill('#ftForm [name=batchSize]', '2');
  await page.fill('#ftForm [name=lr]', '0.001');
  await page.click('#ftStart');
  await page.waitForFunction(() => {
    const j = window.fusionFineTune.job;
    return j && ['promoted', 'candidate', 'failed', 'cancelled'].includes(j.state);
  }, null, { timeout: 480000, polling: 500 });
  const job = await page.evaluate(() => window.fusionFineTune.job);
  const events = await page.evaluate(() => window.fusionFineTune.events);
  const outcome = await page.textContent('#jobOutcome');
  log('job: ' + job.state + ' ' + outcome);
  await page.screenshot({ path: shots + '/console-finetune.png' });

  // resume the replay: frames flow again
  await tab('live');
  await page.click('#replayResume');
  await page.waitForFunction(() => window.fusionConsole.status.replay.state !== 'paused', null, { timeout: 30000 });

  // Models: activate the version not in service (the one before the fine-tune's, if it was promoted)
  await tab('models');
  await page.waitForFunction(() => window.fusionModels.versions.length >= 2, null, { timeout: 30000 });
  const servedBefore = await page.textContent('#served');
  const r = job.result || {};
  const target = servedBefore === r.version ? r.baseVersion : r.version;
  await page.click('#versions tr[data-version="' + target + '"] button.activate');
  await page.waitForSelector('#confirmBar:not([hidden])');
  await page.screenshot({ path: shots + '/console-models.png' });
  await page.click('#confirmYes');
  await page.waitForFunction((v) => window.fusionModels.activated.includes(v), target, { timeout: 120000 });

  // Live: the served version and the frames' model change
  await tab('live');
  await page.waitForFunction((v) => document.getElementById('served').textContent === v
    && document.getElementById('model').textContent === v, target, { timeout: 120000 });
  const after = await page.evaluate(() => ({ served: document.getElementById('served').textContent,
    model: document.getElementById('model').textContent }));
  console.log(JSON.stringify({ kept, saved, width: w, height: h, brushSize: size, rect, brushClass, inside,
    polygonClass, painted, stray: { before: strayBefore, painted: strayPainted, after: strayAfter },
    job, events, outcome, servedBefore, target, after, live }));
} finally {
  await browser.close();
}
