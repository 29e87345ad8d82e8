// Opens the node's viewer page in headless Debian Chromium (playwright-core), waits until it has drawn
// frames received over /ws, and prints {frames, nonEmpty, width, height}; writes a screenshot.
// Usage: node viewer_screenshot.mjs <playwright-core dir> <url> <screenshot.png>
import { launchChromium } from './chromium.mjs';
const [pw, url, out] = process.argv.slice(2);
const browser = await launchChromium(pw);
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.fusionViewer && window.fusionViewer.frames() >= 3
    && window.fusionViewer.confidenceFrames() >= 1, null, { timeout: 90000 });
  const result = await page.evaluate(() => {
    const c = document.getElementById('overlay');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let nonEmpty = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] || d[i + 1] || d[i + 2]) nonEmpty++;
    const k = document.getElementById('confidence');
    const e = k.getContext('2d').getImageData(0, 0, k.width, k.height).data;
    let grey = 0;
    for (let i = 0; i < e.length; i += 4) if (e[i] === e[i + 1] && e[i + 1] === e[i + 2] && e[i] > 0) grey++;
    return { frames: window.fusionViewer.frames(), nonEmpty, width: c.width, height: c.height,
      model: document.getElementById('model').textContent,
      confidenceGrey: grey, confidenceWidth: k.width,
      unfamiliarity: document.getElementById('unfamiliarity').textContent };
  });
  await page.screenshot({ path: out });
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
