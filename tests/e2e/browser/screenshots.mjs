// Regenerates docs/screenshots/*.png: the page with a finished social-posts answer, light and
// dark, desktop and phone widths, against the emulator (scripts/screenshots.sh runs it).
//
// Usage: node screenshots.mjs SERVER_BINARY EMULATOR_BINARY OUTPUT_DIR
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, missing, startStack } from "./harness.mjs";

const [SERVER, EMULATOR, OUT] = process.argv.slice(2);
const why = missing();
if (why) {
  console.error(`screenshots: ${why}`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const stack = await startStack({ server: SERVER, emulator: EMULATOR, streamTokenMs: 0 });
const browser = await launchBrowser();
try {
  const sizes = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
  for (const [size, viewport] of Object.entries(sizes)) {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
      const page = await context.newPage();
      page.setDefaultTimeout(30000);
      await page.goto(stack.url + "/");
      await page.waitForSelector("body[data-ready]");
      await page.check('input[name="generator"][value="social"]');
      await page.fill("#social-content",
        "We moved every design note into one searchable place, and reviews got faster.");
      await page.check('input[name="platform"][value="x"]');
      await page.check('input[name="platform"][value="linkedin"]');
      await page.click("#generate");
      await page.waitForSelector("#meta:not([hidden])", { timeout: 60000 });
      const file = join(OUT, `page-${size}-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`wrote ${file}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await stack.stop();
}
