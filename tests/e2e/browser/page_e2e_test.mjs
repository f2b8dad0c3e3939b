// The web page in a real browser (Debian's chromium through playwright-core) against
// bedrock-content-server and bedrock-emulator started here: every generator end to end, the
// answer growing while it streams, Stop cancelling the server's work, a large document's
// progress bar, an upstream fault and an empty input shown as sentences, one flow by keyboard
// alone, and no console errors anywhere.
//
// Usage: node page_e2e_test.mjs SERVER_BINARY EMULATOR_BINARY   (exit 77: cannot run here)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, missing, startStack } from "./harness.mjs";

const [SERVER, EMULATOR] = process.argv.slice(2);
const why = missing();
if (why) {
  console.log(`SKIP: ${why}`);
  process.exit(77);
}

let stack;
let browser;

before(async () => {
  stack = await startStack({ server: SERVER, emulator: EMULATOR, streamTokenMs: 40 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

// A fresh page; console errors and page exceptions are collected and must stay empty.
async function openPage(viewport = { width: 1200, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(stack.url + "/");
  await page.waitForSelector("body[data-ready]");
  return { page, errors, close: () => context.close() };
}

async function pick(page, generator) {
  await page.check(`input[name="generator"][value="${generator}"]`);
}

async function waitDone(page) {
  await page.waitForSelector("#meta:not([hidden])", { timeout: 60000 });
  return page.textContent("#answer");
}

async function metaRow(page, name) {
  return page.evaluate((n) => {
    for (const div of document.querySelectorAll("#meta div")) {
      if (div.querySelector("dt").textContent === n) return div.querySelector("dd").textContent;
    }
    return null;
  }, name);
}

async function admin(path, body) {
  const r = await fetch(stack.admin + path, { method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" }, signal: AbortSignal.timeout(10000) });
  assert.equal(r.status, 200, await r.text());
}

const ARTICLE = "Remote teams ship faster when decisions are written down. A short design note " +
  "before coding saves hours of meetings, and a searchable record helps new people catch up. ";
// A document of `parts` sections of about 770 characters each.
const documentOf = (parts) =>
  Array.from({ length: parts }, (_, i) => `## Part ${i + 1}\n\n${ARTICLE.repeat(4)}\n`).join("\n");

async function job(id) {
  const r = await fetch(`${stack.url}/v1/jobs/${id}`, { signal: AbortSignal.timeout(10000) });
  assert.equal(r.status, 200);
  return r.json();
}

// Every text the progress line shows, however fast it changes, in window.progressSeen.
async function watchProgress(page) {
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver(() => window.progressSeen.push(document.getElementById("progress-text").textContent))
      .observe(document.getElementById("progress-text"), { childList: true, characterData: true, subtree: true });
  });
}

describe("serving", () => {
  test("index, assets and unknown paths carry the right headers", async () => {
    const r = await fetch(stack.url + "/", { signal: AbortSignal.timeout(10000) });
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type"), /^text\/html/);
    assert.match(r.headers.get("content-security-policy"), /script-src 'self'/);
    assert.doesNotMatch(r.headers.get("content-security-policy"), /unsafe-inline/);
    assert.equal(r.headers.get("x-content-type-options"), "nosniff");
    const etag = r.headers.get("etag");
    assert.ok(etag);
    const again = await fetch(stack.url + "/", { headers: { "If-None-Match": etag }, signal: AbortSignal.timeout(10000) });
    assert.equal(again.status, 304);
    const js = await fetch(stack.url + "/app.js", { signal: AbortSignal.timeout(10000) });
    assert.match(js.headers.get("content-type"), /^text\/javascript/);
    const css = await fetch(stack.url + "/style.css", { signal: AbortSignal.timeout(10000) });
    assert.match(css.headers.get("content-type"), /^text\/css/);
    const unknown = await fetch(stack.url + "/nothing-here.js", { signal: AbortSignal.timeout(10000) });
    assert.equal(unknown.status, 404);
  });
});

describe("generators end to end", () => {
  test("summarize with a paragraph count", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "summarize");
    await page.fill("#summarize-text", ARTICLE.repeat(6));
    await page.fill("#summarize-paragraphs", "2");
    await page.click("#generate");
    const text = await waitDone(page);
    assert.ok(text.trim().length > 20, text);
    assert.match(await metaRow(page, "Model"), /\S/);
    assert.match(await metaRow(page, "Tokens in / out"), /^[\d,]+ \/ [\d,]+$/);
    assert.match(await metaRow(page, "Estimated cost"), /^\$\d/);
    assert.match(await metaRow(page, "Latency"), /\d/);
    assert.match(await metaRow(page, "First token after"), /\d/);
    assert.equal(await page.isEnabled("#copy"), true);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    assert.match(download.suggestedFilename(), /^summarize-.*\.md$/);
    assert.deepEqual(errors, []);
    await close();
  });

  test("rephrase with a built-in style and with a style of one's own", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "rephrase");
    await page.fill("#rephrase-text", "The meeting moved to Thursday because the room was booked.");
    await page.selectOption("#rephrase-style", "casual");
    await page.click("#generate");
    assert.ok((await waitDone(page)).trim().length > 10);
    await page.selectOption("#rephrase-style", "custom");
    assert.equal(await page.isVisible("#rephrase-custom"), true);
    await page.fill("#rephrase-custom", "like a pirate");
    let sent = null;
    page.on("request", (r) => { if (r.url().endsWith("/api/rephrase")) sent = r.postDataJSON(); });
    await page.click("#generate");
    await page.waitForSelector("#status:text('Done.')");
    assert.equal(sent.style, "like a pirate");
    assert.deepEqual(errors, []);
    await close();
  });

  test("expand bullet points", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "expand");
    await page.fill("#expand-bullets", "- faster reviews\n- fewer meetings\n- clearer ownership");
    await page.click("#generate");
    assert.ok((await waitDone(page)).trim().length > 20);
    assert.deepEqual(errors, []);
    await close();
  });

  test("blog post with length, audience and tone", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "blog");
    await page.fill("#blog-topic", "Writing design notes");
    await page.selectOption("#blog-length", "short");
    await page.fill("#blog-audience", "engineering managers");
    await page.fill("#blog-tone", "friendly");
    let sent = null;
    page.on("request", (r) => { if (r.url().endsWith("/api/blog")) sent = r.postDataJSON(); });
    await page.click("#generate");
    assert.ok((await waitDone(page)).trim().length > 20);
    assert.deepEqual({ ...sent, stream: undefined }, { topic: "Writing design notes", length: "short",
      audience: "engineering managers", tone: "friendly", stream: undefined });
    assert.deepEqual(errors, []);
    await close();
  });

  test("product description", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "product");
    await page.fill("#product-name", "NoteDesk");
    await page.fill("#product-features", "searchable notes\nshared templates");
    await page.fill("#product-audience", "small teams");
    await page.click("#generate");
    assert.ok((await waitDone(page)).trim().length > 20);
    assert.deepEqual(errors, []);
    await close();
  });

  test("social posts show each post's length against its platform's limit", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "social");
    await page.fill("#social-content", "We moved our design notes into one searchable place.");
    for (const box of await page.$$('input[name="platform"]')) await box.uncheck();
    await page.check('input[name="platform"][value="x"]');
    await page.check('input[name="platform"][value="mastodon"]');
    await page.click("#generate");
    await waitDone(page);
    const counts = await page.$$eval(".post", (posts) => posts.map((p) => [
      p.querySelector("h3").textContent, p.querySelector(".count").textContent]));
    assert.equal(counts.length, 2, JSON.stringify(counts));
    assert.equal(counts[0][0], "X (Twitter)");
    assert.match(counts[0][1], /^\d+ \/ 280 characters/);
    assert.equal(counts[1][0], "Mastodon");
    assert.match(counts[1][1], /^\d+ \/ 500 characters/);
    assert.deepEqual(errors, []);
    await close();
  });
});

describe("streaming", () => {
  test("the answer grows while it is written", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "blog");
    await page.fill("#blog-topic", "Why retries need a budget");
    await page.selectOption("#blog-length", "medium");
    await page.click("#generate");
    // Sample the answer's length until the answer is complete.
    const lengths = [];
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline && !(await page.isVisible("#meta"))) {
      lengths.push(await page.evaluate(() => document.getElementById("answer").textContent.length));
      await page.waitForTimeout(50);
    }
    assert.ok(await page.isVisible("#meta"), "the answer did not finish in 60 s");
    const growing = new Set(lengths.filter((n) => n > 0));
    assert.ok(growing.size >= 4, `the text should appear in steps; saw lengths ${[...growing]}`);
    for (let i = 1; i < lengths.length; i++) assert.ok(lengths[i] >= lengths[i - 1]);
    assert.deepEqual(errors, []);
    await close();
  });

  test("Stop ends the answer and the server stops working on it", async () => {
    const { page, errors, close } = await openPage();
    await admin("/admin/latency", { stream_token_ms: 150 }); // a long answer: seconds to write
    try {
      await pick(page, "blog");
      await page.fill("#blog-topic", "A long history of retry budgets");
      await page.selectOption("#blog-length", "long");
      await page.click("#generate");
      await page.waitForFunction(() => document.getElementById("answer").textContent.length > 0);
      await page.click("#stop");
      await page.waitForSelector("#status:text('Stopped')");
      const stoppedAt = (await page.textContent("#answer")).length;
      assert.equal(await page.isEnabled("#generate"), true);
      assert.equal(await page.isVisible("#meta"), false);
      // The server's request ends at once (its in-flight gauge counts only /metrics itself).
      let inFlight = -1;
      for (let i = 0; i < 100 && inFlight !== 1; i++) {
        const text = await (await fetch(stack.url + "/metrics", { signal: AbortSignal.timeout(5000) })).text();
        inFlight = Number(text.match(/^bedrock_server_requests_in_flight (\d+)/m)[1]);
        if (inFlight !== 1) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(inFlight, 1, "the server still works on the stopped request");
      await page.waitForTimeout(500);
      assert.equal((await page.textContent("#answer")).length, stoppedAt, "text kept arriving after Stop");
    } finally {
      await admin("/admin/latency", { stream_token_ms: 40 });
    }
    assert.deepEqual(errors, []);
    await close();
  });

  test("a split document below the job threshold streams its progress bar to 100%", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "summarize");
    const big = documentOf(128); // 5 or so chunks: more than the 4 running at once
    assert.ok(big.length < 100000, "this document should stream, not run as a job");
    await page.fill("#summarize-text", big);
    await page.selectOption("#summarize-chunking", "always");
    await watchProgress(page);
    // Each chunk's call takes a while, so the map step reports its chunks one by one.
    await admin("/admin/latency", { latency_ms: 60 });
    try {
      await page.click("#generate");
      await waitDone(page);
    } finally {
      await admin("/admin/latency", { latency_ms: 0 });
    }
    const seen = await page.evaluate(() => window.progressSeen);
    assert.ok(seen.some((t) => /^Reading: \d+ of \d+ chunks done · [\d,]+ tokens · .* elapsed · about .* left$/.test(t)),
      JSON.stringify(seen.slice(0, 5)));
    const [value, max] = await page.$eval("#progress", (p) => [p.value, p.max]);
    assert.ok(max > 1, `the document should have been split; max ${max}`);
    assert.equal(value, max);
    assert.match(await page.textContent("#progress-text"), /^Done/);
    assert.deepEqual(errors, []);
    await close();
  });
});

describe("large documents run as jobs", () => {
  // Over the page's 100,000-character threshold: summarized as a durable job (about 8 chunks
  // when split).
  const LARGE = documentOf(150);

  test("the bar reaches 100%, and a reload mid-job follows the job to its answer", async () => {
    assert.ok(LARGE.length > 100000);
    const { page, errors, close } = await openPage();
    await pick(page, "summarize");
    await page.fill("#summarize-text", LARGE);
    // It would fit the default model's 200k-token window in one call: ask for chunks.
    await page.selectOption("#summarize-chunking", "always");
    let sent = null;
    page.on("request", (r) => { if (r.url().endsWith("/api/summarize")) sent = r.postDataJSON(); });
    await watchProgress(page);
    // Each call takes a while: the job runs for a few seconds, long enough to reload in it.
    await admin("/admin/latency", { latency_ms: 400 });
    let id;
    try {
      await page.click("#generate");
      await page.waitForFunction(() => /^Job: [1-9]\d* of \d+ chunks done/.test(
        document.getElementById("progress-text").textContent), null, { timeout: 30000 });
      assert.equal(sent.async, true);
      assert.equal(sent.stream, undefined);
      id = (await page.evaluate(() => location.hash)).replace(/^#job=/, "");
      assert.match(id, /^job_/);
      assert.equal(await page.evaluate(() => sessionStorage.getItem("bedrock.job")), id);
      const seen = await page.evaluate(() => window.progressSeen);
      assert.ok(seen.some((t) => /^Job: \d+ of \d+ chunks done · [\d,]+ tokens · .* elapsed( · about .* left)?$/.test(t)),
        JSON.stringify(seen));
      // The reload comes while the server is still working on the job.
      assert.equal((await job(id)).status, "running");

      await page.reload();
      await page.waitForSelector("body[data-ready]");
      await waitDone(page);
    } finally {
      await admin("/admin/latency", { latency_ms: 0 });
    }
    assert.equal(await page.isChecked('input[name="generator"][value="summarize"]'), true);
    assert.ok((await page.textContent("#answer")).trim().length > 20);
    const [value, max] = await page.$eval("#progress", (p) => [p.value, p.max]);
    assert.ok(max > 1, `the document should have been split; max ${max}`);
    assert.equal(value, max);
    assert.match(await page.textContent("#progress-text"), /^Done: .* [\d,]+ tokens · .* in all$/);
    assert.equal(await metaRow(page, "Job"), id);
    assert.equal(await page.evaluate(() => location.hash), "");
    assert.equal(await page.evaluate(() => sessionStorage.getItem("bedrock.job")), null);
    const finished = await job(id);
    assert.equal(finished.status, "succeeded");
    assert.equal(finished.progress.done, finished.progress.total);
    assert.deepEqual(errors, []);
    await close();
  });

  test("Stop cancels the job on the server", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "summarize");
    await page.fill("#summarize-text", LARGE);
    await admin("/admin/latency", { latency_ms: 1500 }); // far from done when Stop is pressed
    let id;
    try {
      await page.click("#generate");
      await page.waitForFunction(() => location.hash.startsWith("#job="));
      id = (await page.evaluate(() => location.hash)).replace(/^#job=/, "");
      await page.waitForFunction(() => /^(Job|Writing|Queued)/.test(document.getElementById("progress-text").textContent));
      await page.click("#stop");
      await page.waitForSelector("#status:text('Stopped. The job was cancelled on the server.')");
    } finally {
      await admin("/admin/latency", { latency_ms: 0 });
    }
    const cancelled = await job(id);
    assert.equal(cancelled.status, "cancelled");
    assert.equal(cancelled.error.code, "Cancelled");
    assert.equal(await page.isEnabled("#generate"), true);
    assert.equal(await page.isVisible("#meta"), false);
    assert.equal(await page.evaluate(() => location.hash), "");
    // Nothing to pick up after a reload.
    await page.reload();
    await page.waitForSelector("body[data-ready]");
    assert.equal(await page.isVisible("#result"), false);
    assert.deepEqual(errors, []);
    await close();
  });
});

describe("fallbacks", () => {
  test("an answer from the fallback model says which model it stood in for", async () => {
    // Rephrasing asks Claude 3.5 Sonnet, then Claude 3 Haiku (the built-in defaults).
    const primary = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    const { page, errors, close } = await openPage();
    await admin("/admin/faults", { model: primary, next: { kind: "ModelErrorException", count: 1000 } });
    try {
      await pick(page, "rephrase");
      await page.fill("#rephrase-text", "The meeting moved to Thursday because the room was booked.");
      await page.click("#generate");
      await waitDone(page);
    } finally {
      await admin("/admin/faults", { model: primary, clear: true });
    }
    assert.equal(await metaRow(page, "Model"), "anthropic.claude-3-haiku-20240307-v1:0");
    assert.equal(await metaRow(page, "Fallback"),
      `${primary} could not answer; anthropic.claude-3-haiku-20240307-v1:0 answered instead`);
    // (Without a fallback there is no such row: "the model picker lists /v1/models ...".)
    assert.deepEqual(errors, []);
    await close();
  });
});

describe("problems", () => {
  test("an upstream fault is shown as a clear message", async () => {
    const { page, errors, close } = await openPage();
    await admin("/admin/faults", { next: { kind: "stream:modelStreamErrorException@2", count: 1 } });
    await pick(page, "rephrase");
    await page.fill("#rephrase-text", "The meeting moved to Thursday because the room was booked.");
    await page.click("#generate");
    await page.waitForSelector("#problem:not([hidden])", { timeout: 60000 });
    const problem = await page.textContent("#problem");
    assert.match(problem, /The model service failed|Too many requests|took too long/);
    assert.match(problem, /[Tt]ry again/);
    assert.equal(await page.textContent("#status"), "Not finished.");
    assert.equal(await page.isEnabled("#generate"), true);
    assert.deepEqual(errors, []);
    await close();
  });

  test("empty input is refused before anything is sent", async () => {
    const { page, errors, close } = await openPage();
    const sent = [];
    page.on("request", (r) => { if (r.url().includes("/api/")) sent.push(r.url()); });
    await pick(page, "summarize");
    await page.fill("#summarize-text", "   \n ");
    await page.click("#generate");
    await page.waitForSelector("#problem:not([hidden])");
    assert.match(await page.textContent("#problem"), /The text to summarize is empty/);
    assert.equal(await page.getAttribute("#summarize-text", "aria-invalid"), "true");
    assert.equal(await page.evaluate(() => document.activeElement.id), "summarize-text");
    await pick(page, "social");
    await page.fill("#social-content", "Something");
    for (const box of await page.$$('input[name="platform"]')) await box.uncheck();
    await page.click("#generate");
    assert.match(await page.textContent("#problem"), /No platform is ticked/);
    assert.deepEqual(sent, []);
    assert.deepEqual(errors, []);
    await close();
  });

  test("too long input is refused before anything is sent", async () => {
    const { page, errors, close } = await openPage();
    const sent = [];
    page.on("request", (r) => { if (r.url().includes("/api/")) sent.push(r.url()); });
    await pick(page, "rephrase");
    await page.fill("#rephrase-text", "x".repeat(200001));
    await page.click("#generate");
    assert.match(await page.textContent("#problem"), /too long: 200,001 bytes/);
    assert.deepEqual(sent, []);
    assert.deepEqual(errors, []);
    await close();
  });
});

describe("keyboard and screens", () => {
  test("one full flow with the keyboard alone", async () => {
    const { page, errors, close } = await openPage();
    const focused = () => page.evaluate(() => {
      const el = document.activeElement;
      return el.id || `${el.name}=${el.value}`;
    });
    // Skip link, model picker, then the generator choice.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "model");
    await page.keyboard.press("Tab");
    assert.match(await focused(), /^generator=/);
    // Arrow keys move through the choices (radio group); land on Rephrase.
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    assert.equal(await focused(), "generator=rephrase");
    assert.equal(await page.isVisible("#form-rephrase"), true);
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "rephrase-text");
    await page.keyboard.type("Our team moved the weekly meeting to Thursday afternoons.");
    // Style: the next field after the file chooser.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "rephrase-style");
    await page.keyboard.press("ArrowDown"); // casual
    // Tab to Generate and press Enter.
    for (let i = 0; i < 5 && (await focused()) !== "generate"; i++) await page.keyboard.press("Tab");
    assert.equal(await focused(), "generate");
    await page.keyboard.press("Enter");
    await waitDone(page);
    // The answer's buttons are reachable next.
    for (let i = 0; i < 6 && (await focused()) !== "copy"; i++) await page.keyboard.press("Tab");
    assert.equal(await focused(), "copy");
    assert.deepEqual(errors, []);
    await close();
  });

  test("on a phone-sized screen nothing overflows sideways", async () => {
    const { page, errors, close } = await openPage({ width: 360, height: 740 });
    for (const g of ["summarize", "rephrase", "expand", "blog", "product", "social"]) {
      await pick(page, g);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${g}: the page is ${overflow}px wider than the screen`);
    }
    assert.deepEqual(errors, []);
    await close();
  });

  test("choices are remembered across a reload", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "blog");
    await page.selectOption("#blog-length", "long");
    await page.reload();
    await page.waitForSelector("body[data-ready]");
    assert.equal(await page.isChecked('input[name="generator"][value="blog"]'), true);
    assert.equal(await page.inputValue("#blog-length"), "long");
    assert.deepEqual(errors, []);
    await close();
  });
});

describe("inputs and choices", () => {
  test("the model picker lists /v1/models, sends the choice and remembers it", async () => {
    const { page, errors, close } = await openPage();
    const chosen = "anthropic.claude-3-5-haiku-20241022-v1:0";
    await page.waitForSelector(`#model option[value="${chosen}"]`, { state: "attached" });
    await page.selectOption("#model", chosen);
    await pick(page, "summarize");
    await page.fill("#summarize-text", ARTICLE);
    let sent = null;
    page.on("request", (r) => { if (r.url().endsWith("/api/summarize")) sent = r.postDataJSON(); });
    await page.click("#generate");
    await waitDone(page);
    assert.equal(sent.model, chosen);
    assert.equal(await metaRow(page, "Model"), chosen);
    assert.equal(await metaRow(page, "Fallback"), null);
    await page.reload();
    await page.waitForSelector(`#model option[value="${chosen}"]`, { state: "attached" });
    await page.waitForFunction((m) => document.getElementById("model").value === m, chosen);
    assert.deepEqual(errors, []);
    await close();
  });

  test("a .txt file can be chosen or dropped, and another kind is refused", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "summarize");
    await page.setInputFiles('input[type="file"][data-for="summarize-text"]',
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("Chosen from a file.") });
    await page.waitForFunction(() => document.getElementById("summarize-text").value === "Chosen from a file.");
    const drop = async (name, type, text) => {
      await page.evaluate(([n, t, body]) => {
        const data = new DataTransfer();
        data.items.add(new File([body], n, { type: t }));
        const area = document.getElementById("summarize-text");
        area.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
        area.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
      }, [name, type, text]);
    };
    await drop("report.md", "text/markdown", "# Dropped\n\nA Markdown report.");
    await page.waitForFunction(() => document.getElementById("summarize-text").value.startsWith("# Dropped"));
    await drop("tool.exe", "application/octet-stream", "MZ");
    await page.waitForSelector("#problem:not([hidden])");
    assert.match(await page.textContent("#problem"), /tool\.exe is not a file the models can read/);
    assert.match(await page.inputValue("#summarize-text"), /^# Dropped/);
    // A picture dropped on the same box is attached, not read as text.
    await drop("photo.png", "image/png", "\x89PNG");
    await page.waitForSelector("#summarize-files .chip");
    assert.match(await page.textContent("#summarize-files"), /photo\.png/);
    assert.match(await page.inputValue("#summarize-text"), /^# Dropped/);
    assert.deepEqual(errors, []);
    await close();
  });

  test("a PDF and a picture are attached, sent and read by the model", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "summarize");
    await page.fill("#summarize-text", "");
    await page.fill("#summarize-max", "");
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(24)]);
    await page.setInputFiles('input[type="file"][data-for="summarize-text"]', [
      { name: "Q3 report.pdf", mimeType: "application/pdf", buffer: pdf },
      { name: "chart.png", mimeType: "image/png", buffer: png },
    ]);
    await page.waitForFunction(() => document.querySelectorAll("#summarize-files .chip").length === 2);
    const chips = await page.textContent("#summarize-files");
    assert.match(chips, /Q3 report\.pdf\s*document, \d+ bytes/);
    assert.match(chips, /chart\.png\s*picture, 32 bytes/);
    assert.equal(await page.getAttribute("#summarize-files .chip:nth-child(2) button", "aria-label"), "Remove chart.png");
    let sent = null;
    page.on("request", (r) => { if (r.url().endsWith("/api/summarize")) sent = r.postDataJSON(); });
    await page.click("#generate");
    const text = await waitDone(page);
    assert.equal(sent.text, undefined);
    assert.deepEqual(sent.attachments.map((a) => a.name), ["Q3 report.pdf", "chart.png"]);
    assert.equal(Buffer.from(sent.attachments[0].data, "base64").toString(), pdf.toString());
    assert.match(text, new RegExp(`\\(Read: document "Q3 report" \\(pdf, ${pdf.length} bytes\\); image \\(png, ${png.length} bytes\\)\\.\\)`));
    // The Remove button works from the keyboard and keeps the focus in the list.
    await page.focus("#summarize-files .chip:nth-child(1) button");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll("#summarize-files .chip").length === 1);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Remove chart.png");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#summarize-files", { state: "hidden" });
    assert.deepEqual(errors, []);
    await close();
  });

  test("a product photo stands in for the feature list", async () => {
    const { page, errors, close } = await openPage();
    await pick(page, "product");
    await page.fill("#product-name", "Quill lamp");
    await page.fill("#product-features", "");
    await page.fill("#product-audience", "night readers");
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40)]);
    await page.setInputFiles("#product-attach", { name: "lamp.png", mimeType: "image/png", buffer: png });
    await page.waitForSelector("#product-files .chip");
    await page.click("#generate");
    const text = await waitDone(page);
    assert.match(text, /\(Read: image \(png, 48 bytes\)\.\)/);
    assert.equal(await metaRow(page, "Model"), "anthropic.claude-3-haiku-20240307-v1:0");
    assert.deepEqual(errors, []);
    await close();
  });

  test("a file over Bedrock's limit is refused before anything is sent", async () => {
    const { page, errors, close } = await openPage();
    const sent = [];
    page.on("request", (r) => { if (r.url().includes("/api/")) sent.push(r.url()); });
    await pick(page, "summarize");
    await page.fill("#summarize-text", "");
    await page.setInputFiles('input[type="file"][data-for="summarize-text"]',
      { name: "scan.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(5 * 1024 * 1024, 0x25) });
    await page.waitForSelector("#problem:not([hidden])");
    assert.match(await page.textContent("#problem"), /scan\.pdf is 5 MB; a document can be at most 4\.5 MB/);
    assert.equal(await page.isHidden("#summarize-files"), true);
    // Nothing attached and no text: the empty check still speaks, and nothing goes out.
    await page.click("#generate");
    assert.match(await page.textContent("#problem"), /The text to summarize is empty\. Type or paste something, or attach/);
    assert.deepEqual(sent, []);
    assert.deepEqual(errors, []);
    await close();
  });

  test("Copy puts the answer on the clipboard", async () => {
    const { page, errors, close } = await openPage();
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.url });
    await pick(page, "rephrase");
    await page.fill("#rephrase-text", "The meeting moved to Thursday because the room was booked.");
    await page.click("#generate");
    const answer = await waitDone(page);
    await page.click("#copy");
    await page.waitForSelector("#status:text('Copied')");
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), answer);
    assert.deepEqual(errors, []);
    await close();
  });
});

describe("API keys", () => {
  const KEY = "page-test-key-0123456789";
  let keyed;
  before(async () => {
    keyed = await startStack({ server: SERVER, emulator: EMULATOR, streamTokenMs: 0,
      serverEnv: { BEDROCK_CONTENT_SERVER_API_KEYS: KEY } });
  });
  after(async () => { await keyed?.stop(); });

  test("the page asks for a key and keeps it in session storage only", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    const errors = [];
    // The browser itself logs each 401 answer; those are expected here, nothing else is.
    page.on("console", (m) => {
      if (m.type() === "error" && !/status of 401/.test(m.text())) errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(keyed.url + "/");
    await page.waitForSelector("#key-dialog[open]");
    await page.fill("#api-key", "wrong-key-0000000000000");
    await page.keyboard.press("Enter");
    await pick(page, "rephrase");
    await page.fill("#rephrase-text", "The meeting moved to Thursday.");
    await page.click("#generate");
    // The wrong key is refused: the page asks again; the right one is used from then on.
    await page.waitForSelector("#key-dialog[open]");
    await page.fill("#api-key", KEY);
    await page.click('#key-dialog button[value="save"]');
    await page.waitForSelector("#meta:not([hidden])", { timeout: 60000 });
    assert.equal(await page.evaluate(() => sessionStorage.getItem("bedrock.apiKey")), KEY);
    const stored = await page.evaluate(() => JSON.stringify(localStorage));
    assert.ok(!stored.includes(KEY), "the key must not reach localStorage");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a #job= link in a new tab asks for the key once, then shows the job's answer", async () => {
    const r = await fetch(keyed.url + "/v1/jobs", { method: "POST", signal: AbortSignal.timeout(10000),
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ kind: "summarize", input: { text: ARTICLE.repeat(3) } }) });
    assert.equal(r.status, 202);
    const { id } = await r.json();
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    const errors = [];
    page.on("console", (m) => {
      if (m.type() === "error" && !/status of 401/.test(m.text())) errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${keyed.url}/#job=${id}`);
    // The model list and the job both met a 401: one question answers both.
    await page.waitForSelector("#key-dialog[open]");
    await page.fill("#api-key", KEY);
    await page.click('#key-dialog button[value="save"]');
    await page.waitForSelector("#meta:not([hidden])", { timeout: 60000 });
    assert.equal(await metaRow(page, "Job"), id);
    assert.ok((await page.textContent("#answer")).trim().length > 10);
    assert.equal(await page.isVisible("#key-dialog"), false);
    assert.equal(await page.evaluate(() => location.hash), "");
    assert.deepEqual(errors, []);
    await context.close();
  });
});
