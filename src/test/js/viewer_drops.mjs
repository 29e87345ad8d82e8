// Opens the viewer in headless chromium, waits for `frames` new frames over /ws, prints the drops it shows.
// usage: node viewer_drops.mjs <playwright-core dir> <url> <frames>
const [pw, url, n] = process.argv.slice(2);
const { chromium } = await import(pw + '/index.mjs');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const page = await browser.newPage();
  await page.goto(url);
  console.log('open');
  await page.waitForFunction((k) => window.fusionViewer && window.fusionViewer.frames() >= k, Number(n), { timeout: 300000 });
  const drops = await page.evaluate(() => document.getElementById('drops').textContent);
  console.log(JSON.stringify({ viewerFrames: await page.evaluate(() => window.fusionViewer.frames()), viewerDrops: drops }));
} finally { await browser.close(); }
