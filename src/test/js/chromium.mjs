// Headless Debian Chromium through playwright-core, launched alike by every browser test script
// ($CHROMIUM overrides the browser's path).
export async function launchChromium(playwrightDir) {
  const { chromium } = await import(playwrightDir + '/index.mjs');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
