// The console of a node with an API token that protects reads too, in headless Debian Chromium (playwright-core):
// without the token the page says what to do; with the token pasted into its field, the live view shows frames
// (polled over HTTP with the header) and an action works (the replay is paused from the Live view).
// Writes <shots>/console-token.png (the page before the token) and prints one JSON line.
// Usage: node console_token.mjs <playwright-core dir> <base url> <shots dir> <token>
import { launchChromium } from './chromium.mjs';
const [pw, base, shots, token] = process.argv.slice(2);
const browser = await launchChromium(pw);
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => console.error('page error: ' + e.message));
  await page.goto(base + '/console/#live');
  await page.waitForSelector('#authNote:not([hidden])', { timeout: 30000 });
  const before = await page.textContent('#authNote');
  await page.screenshot({ path: shots + '/console-token.png' });
  await page.fill('#token', token);
  await page.click('#tokenUse');
  await page.waitForFunction(() => window.fusionConsole.status && window.fusionConsole.status.replay
    && window.fusionConsoleLive.polledFrames >= 2, null, { timeout: 120000 });
  const noteHidden = await page.isHidden('#authNote');
  await page.click('#replayPause');
  await page.waitForFunction(() => window.fusionConsole.status.replay.state === 'paused', null, { timeout: 30000 });
  const message = await page.textContent('#message');
  const stored = await page.evaluate(() => sessionStorage.getItem('fusionnode.token'));
  console.log(JSON.stringify({ before, noteHidden, message, storedToken: stored,
    polledFrames: await page.evaluate(() => window.fusionConsoleLive.polledFrames),
    model: await page.textContent('#model') }));
} finally {
  await browser.close();
}
