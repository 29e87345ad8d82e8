// Opens the node's viewer page in headless Debian Chromium (playwright-core) while a rig of several cameras
// is replayed, waits until every camera has a tile with a drawn overlay, selects one camera and waits for its
// large view; prints {cameras, drawnTiles, selected, frames} and writes a screenshot.
// Usage: node viewer_grid.mjs <playwright-core dir> <url> <cameras> <camera to select> <screenshot.png>
import { launchChromium } from './chromium.mjs';
const [pw, url, cameras, pick, out] = process.argv.slice(2);
const browser = await launchChromium(pw);
const drawn = () => Array.from(document.querySelectorAll('#grid canvas')).filter((c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] || d[i + 1] || d[i + 2]) n++;
  return n > (c.width * c.height) / 2;
}).length;
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  await page.goto(url);
  await page.waitForFunction(`window.fusionViewer && window.fusionViewer.cameras().length >= ${Number(cameras)}
    && (${drawn.toString()})() >= ${Number(cameras)}`, null, { timeout: 120000 });
  await page.evaluate((c) => window.fusionViewer.select(c), pick);
  const before = await page.evaluate(() => window.fusionViewer.frames());
  await page.waitForFunction((n) => window.fusionViewer.frames() >= n + 2
    && window.fusionViewer.confidenceFrames() >= 1, before, { timeout: 60000 });
  const result = await page.evaluate(`({ cameras: window.fusionViewer.cameras(), drawnTiles: (${drawn.toString()})(),
    selected: document.getElementById('camera').textContent, frames: window.fusionViewer.frames() })`);
  await page.screenshot({ path: out, fullPage: true });
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
