// Regenerates docs/screenshots/*.png: the page with a finished social-posts answer, light and
// dark, desktop and phone widths, a large document's summary running as a job (its progress
// bar), and a summary of an attached PDF and picture (their chips), against the emulator
// (scripts/screenshots.sh runs it).
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

async function admin(path, body) {
  const r = await fetch(stack.admin + path, { method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" }, signal: AbortSignal.timeout(10000) });
  if (r.status !== 200) throw new Error(`${path}: ${await r.text()}`);
}

// A desktop-sized page, ready, with the summarize generator chosen.
async function summarizePage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  await page.goto(stack.url + "/");
  await page.waitForSelector("body[data-ready]");
  await page.check('input[name="generator"][value="summarize"]');
  return { context, page };
}

// A large document's summary as a job, caught with about half of its chunks done, then stopped.
async function jobScreenshot(file) {
  const { context, page } = await summarizePage();
  const part = "Remote teams ship faster when decisions are written down. A short design note " +
    "before coding saves hours of meetings, and a searchable record helps new people catch up. ";
  await page.fill("#summarize-text",
    Array.from({ length: 150 }, (_, i) => `## Part ${i + 1}\n\n${part.repeat(4)}\n`).join("\n"));
  await page.selectOption("#summarize-chunking", "always");
  await admin("/admin/latency", { latency_ms: 1500 });
  try {
    await page.click("#generate");
    await page.waitForFunction(() => / about .* left$/.test(document.getElementById("progress-text").textContent));
    await page.locator("#result").scrollIntoViewIfNeeded();
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
    await page.click("#stop");
    await page.waitForSelector("#status:text('Stopped')");
  } finally {
    await admin("/admin/latency", { latency_ms: 0 });
    await context.close();
  }
}

// A PDF and a chart attached to a summary, shown as chips, with the finished answer.
async function attachmentsScreenshot(file) {
  const { context, page } = await summarizePage();
  await page.fill("#summarize-text", "");
  const pdf = Buffer.from("%PDF-1.4\n" + "q3 ".repeat(60000) + "\n%%EOF\n");
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(48000)]);
  await page.setInputFiles('input[type="file"][data-for="summarize-text"]', [
    { name: "Q3 report.pdf", mimeType: "application/pdf", buffer: pdf },
    { name: "revenue chart.png", mimeType: "image/png", buffer: png },
  ]);
  await page.waitForFunction(() => document.querySelectorAll("#summarize-files .chip").length === 2);
  await page.click("#generate");
  await page.waitForSelector("#meta:not([hidden])", { timeout: 60000 });
  await page.screenshot({ path: file, fullPage: true });
  console.log(`wrote ${file}`);
  await context.close();
}

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
  await jobScreenshot(join(OUT, "page-job-desktop-light.png"));
  await attachmentsScreenshot(join(OUT, "page-attachments-desktop-light.png"));
} finally {
  await browser.close();
  await stack.stop();
}
