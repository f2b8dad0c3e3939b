// The page: picks a generator, checks and sends its form to /api/<generator> with
// "stream": true, shows the answer as it streams in (and a progress bar for documents that are
// summarized chunk by chunk), then the figures under it. Stop aborts the fetch, which closes the
// connection; the server then cancels the model call. A large document is summarized as a
// durable job instead (jobs.js): the page polls it, a reload follows it again, and Stop cancels
// it on the server.
import { readEvents } from "./sse.js";
import { GENERATORS, InputProblem, PLATFORMS, labelOf, limitOf, postLength } from "./generators.js";
import { explain } from "./problems.js";
import {
  MAX_REQUEST_BYTES, addFile, encodeFiles, filesOf, formatSize, kindOf, removeFile, renderChips, requestBytes,
} from "./attachments.js";
import { JOB_THRESHOLD_CHARS, followJob, forgetJob, rememberJob, rememberedJob, statusOfCode } from "./jobs.js";

const $ = (id) => document.getElementById(id);
const store = {
  get(key) { try { return localStorage.getItem(`bedrock.${key}`); } catch { return null; } },
  set(key, v) { try { localStorage.setItem(`bedrock.${key}`, v); } catch { /* private mode */ } },
};
const KEY_SLOT = "bedrock.apiKey"; // sessionStorage only: gone when the tab closes

let running = null; // { controller, generator, started, firstToken, posts, job?, lastJob? }
let lastAnswer = null; // { generator, markdown }

function currentGenerator() {
  return document.querySelector('input[name="generator"]:checked').value;
}

function formOf(generator) {
  return $(`form-${generator}`);
}

function showGenerator(generator) {
  for (const form of document.querySelectorAll("form[data-generator]")) {
    form.hidden = form.dataset.generator !== generator;
  }
  store.set("generator", generator);
}

// ---- remembered choices (not the texts: they may be private) ----
function restoreChoices() {
  const generator = store.get("generator");
  const radio = generator && document.querySelector(`input[name="generator"][value="${generator}"]`);
  if (radio) radio.checked = true;
  showGenerator(currentGenerator());
  for (const el of document.querySelectorAll("[data-remember]")) {
    const saved = store.get(`field.${el.id}`);
    if (saved !== null) el.value = saved;
    el.addEventListener("change", () => store.set(`field.${el.id}`, el.value));
  }
  const platforms = JSON.parse(store.get("platforms") || '["x","linkedin"]');
  for (const box of document.querySelectorAll('input[name="platform"]')) {
    box.checked = platforms.includes(box.value);
  }
  updateCustomStyle();
}

function buildPlatformBoxes() {
  const set = $("social-platforms");
  for (const p of PLATFORMS) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.name = "platform";
    box.value = p.name;
    box.addEventListener("change", () => {
      const chosen = [...set.querySelectorAll("input:checked")].map((b) => b.value);
      store.set("platforms", JSON.stringify(chosen));
    });
    label.append(box, ` ${p.label} (${p.limit.toLocaleString()} characters)`);
    set.append(label);
  }
}

function updateCustomStyle() {
  $("rephrase-custom-field").hidden = $("rephrase-style").value !== "custom";
}

// ---- models ----
async function loadModels() {
  const select = $("model");
  try {
    let response = await apiFetch("/v1/models", { method: "GET" });
    // Keys are configured: ask now rather than at the first Generate.
    if (response.status === 401 && await askForKey()) {
      response = await apiFetch("/v1/models", { method: "GET" });
    }
    if (!response.ok) return;
    const list = await response.json();
    for (const m of list.data || []) {
      const option = document.createElement("option");
      option.value = m.id;
      option.textContent = m.id;
      select.append(option);
    }
  } catch {
    return; // the default model still works
  }
  const saved = store.get("model");
  if (saved && [...select.options].some((o) => o.value === saved)) select.value = saved;
}

// ---- API key ----
function apiKey() {
  try { return sessionStorage.getItem(KEY_SLOT) || ""; } catch { return ""; }
}

function apiFetch(path, init) {
  const headers = new Headers(init.headers || {});
  const key = apiKey();
  if (key) headers.set("Authorization", `Bearer ${key}`);
  return fetch(path, { ...init, headers });
}

// One question at a time: the model list and a job being followed may both meet a 401.
let keyQuestion = null;
function askForKey() {
  keyQuestion ??= ask().finally(() => { keyQuestion = null; });
  return keyQuestion;
}

function ask() {
  const dialog = $("key-dialog");
  const input = $("api-key");
  input.value = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      const ok = dialog.returnValue === "save" && input.value.trim();
      if (ok) {
        try { sessionStorage.setItem(KEY_SLOT, input.value.trim()); } catch { /* ignore */ }
      }
      resolve(Boolean(ok));
    }, { once: true });
    dialog.showModal();
    input.focus();
  });
}

// ---- problems ----
function showProblem(title, detail, next) {
  const box = $("problem");
  box.replaceChildren();
  const head = document.createElement("p");
  const strong = document.createElement("strong");
  strong.textContent = title;
  head.append(strong);
  box.append(head);
  for (const line of [detail, next]) {
    if (!line) continue;
    const p = document.createElement("p");
    p.textContent = line;
    box.append(p);
  }
  box.hidden = false;
}

function clearProblem() {
  $("problem").hidden = true;
  for (const el of document.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute("aria-invalid");
}

// ---- the answer ----
function resetResult() {
  $("result").hidden = false;
  $("answer").replaceChildren();
  delete $("answer").dataset.job;
  $("meta").hidden = true;
  $("meta").replaceChildren();
  $("progress-box").hidden = true;
  $("progress").value = 0;
  $("progress-text").textContent = "";
  $("copy").disabled = true;
  $("download").disabled = true;
  lastAnswer = null;
}

function setStatus(text) {
  $("status").textContent = text;
}

function appendText(piece) {
  const run = running;
  if (run.firstToken === null) run.firstToken = performance.now();
  if (run.generator === "social" && run.posts.current) {
    run.posts.current.text.append(piece);
    return;
  }
  $("answer").append(piece);
}

// social: each draft or rewrite gets its own block while it streams.
function startPost(call) {
  const run = running;
  const block = document.createElement("article");
  block.className = "post";
  const h = document.createElement("h3");
  h.textContent = `${labelOf(call.platform)}${call.step === "rewrite" ? " (shortening)" : ""}`;
  const text = document.createElement("div");
  text.className = "post-text";
  block.append(h, text);
  $("answer").append(block);
  run.posts.current = { block, text };
}

function showPosts(posts) {
  const answer = $("answer");
  answer.replaceChildren();
  for (const post of posts) {
    const block = document.createElement("article");
    block.className = "post";
    const h = document.createElement("h3");
    h.textContent = labelOf(post.platform);
    const text = document.createElement("div");
    text.className = "post-text";
    text.textContent = post.text;
    const limit = post.limit || limitOf(post.platform);
    const length = post.length ?? postLength(post.platform, post.text);
    const count = document.createElement("p");
    count.className = length > limit ? "count over" : "count";
    count.textContent = `${length.toLocaleString()} / ${limit.toLocaleString()} characters` +
      (length > limit ? " — over the limit" : "") + (post.shortened ? " (shortened to fit)" : "");
    block.append(h, text, count);
    answer.append(block);
  }
}

function seconds(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;
}

// The bar counts the map step's chunks (the bulk of the work); the reduce levels that combine
// their summaries follow in the text.
function showProgress(p) {
  const run = running;
  $("progress-box").hidden = false;
  const bar = $("progress");
  const tokens = `${Number(p.tokens).toLocaleString()} tokens`;
  const elapsed = `${seconds(p.elapsed_ms)} elapsed`;
  if (p.phase === "map") {
    bar.max = p.total || 1;
    bar.value = Math.min(p.done, p.total);
    let eta = "";
    if (p.done > 0 && p.done < p.total) {
      eta = ` · about ${seconds((p.elapsed_ms / p.done) * (p.total - p.done))} left`;
    }
    $("progress-text").textContent =
      `Reading: ${p.done} of ${p.total} chunks done · ${tokens} · ${elapsed}${eta}`;
  } else {
    bar.value = bar.max;
    $("progress-text").textContent = `Combining the chunks' summaries (level ${p.level}): ` +
      `${p.done} of ${p.total} done · ${tokens} · ${elapsed}`;
  }
  run.lastProgress = p;
}

function finishProgress() {
  if ($("progress-box").hidden) return;
  const bar = $("progress");
  bar.value = bar.max;
  const job = running.lastJob;
  const took = job ? job.progress?.elapsed_ms ?? 0 : performance.now() - running.started;
  const tokens = job?.progress?.tokens ? ` · ${Number(job.progress.tokens).toLocaleString()} tokens` : "";
  $("progress-text").textContent = job && !job.progress?.total
    ? `Done in one model call · ${seconds(took)} in all`
    : `Done: the document was read in chunks and combined${tokens} · ${seconds(took)} in all`;
}

// A job's state on the bar: its chunks (the map step's and the combining calls, counted
// together), tokens so far, time since it started (the server's clock) and the time left at the
// pace so far.
function showJobProgress(job) {
  const run = running;
  run.lastJob = job;
  $("progress-box").hidden = false;
  const bar = $("progress");
  const p = job.progress || {};
  const done = Number(p.done || 0);
  const total = Number(p.total || 0);
  const elapsedMs = Number(p.elapsed_ms || 0);
  const elapsed = `${seconds(elapsedMs)} elapsed`;
  if (job.status === "queued") {
    bar.max = 1;
    bar.value = 0;
    $("progress-text").textContent = "Queued: waiting for a free worker on the server…";
  } else if (job.status === "running" && total === 0) {
    bar.max = 1;
    bar.value = 0;
    $("progress-text").textContent = `Writing the summary in one model call · ${elapsed}`;
  } else if (total > 0) {
    // Also a job already finished when first seen (after a reload): its chunks fill the bar.
    bar.max = total;
    bar.value = Math.min(done, total);
    if (job.status !== "running") return;
    let eta = "";
    if (done > 0 && done < total) eta = ` · about ${seconds((elapsedMs / done) * (total - done))} left`;
    $("progress-text").textContent = `Job: ${done} of ${total} chunks done · ` +
      `${Number(p.tokens || 0).toLocaleString()} tokens · ${elapsed}${eta}`;
  }
}

function showMeta(answer) {
  const run = running;
  const meta = $("meta");
  const rows = [
    ["Model", answer.model || "unknown"],
  ];
  // The server names the model it asked first when a fallback model answered instead.
  if (answer.fallback_from) {
    rows.push(["Fallback", `${answer.fallback_from} could not answer; ${answer.model || "a fallback"} answered instead`]);
  }
  const usage = answer.usage || {};
  rows.push(["Tokens in / out", `${(usage.input_tokens ?? 0).toLocaleString()} / ${(usage.output_tokens ?? 0).toLocaleString()}`]);
  rows.push(["Estimated cost", `$${Number(answer.cost_usd || 0).toFixed(answer.cost_usd < 0.01 ? 5 : 4)}`]);
  rows.push(["Latency", seconds((answer.latency || 0) * 1000)]);
  if (run.job) rows.push(["Job", run.job]);
  else rows.push(["First token after", run.firstToken === null ? "—" : seconds(run.firstToken - run.started)]);
  if (answer.calls > 1) rows.push(["Model calls", String(answer.calls)]);
  for (const [name, value] of rows) {
    const div = document.createElement("div");
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = value;
    div.append(dt, dd);
    meta.append(div);
  }
  meta.hidden = false;
}

function finish(answer) {
  const run = running;
  const generator = GENERATORS[run.generator];
  if (run.generator === "social") {
    showPosts(answer.posts || []);
  } else {
    const text = generator.markdown(answer);
    if (typeof text === "string" && text) $("answer").textContent = text;
  }
  finishProgress();
  showMeta(answer);
  lastAnswer = { generator: run.generator, markdown: generator.markdown(answer) || $("answer").textContent };
  $("copy").disabled = false;
  $("download").disabled = false;
  setStatus(answer.cut ? "Done (cut to the maximum length)." : "Done.");
}

// ---- running a request ----
async function generate() {
  if (running) return;
  clearProblem();
  const generator = currentGenerator();
  const form = formOf(generator);
  let body;
  const hasFiles = filesOf(generator).length > 0;
  try {
    body = GENERATORS[generator].body(form, hasFiles);
  } catch (e) {
    if (!(e instanceof InputProblem)) throw e;
    e.field.setAttribute("aria-invalid", "true");
    showProblem("Nothing was sent.", e.message, "");
    e.field.focus();
    return;
  }
  const model = $("model").value;
  if (model) body.model = model;
  if (hasFiles) {
    const size = requestBytes(generator, new TextEncoder().encode(JSON.stringify(body)).length);
    if (size > MAX_REQUEST_BYTES) {
      showProblem("Nothing was sent.",
        `The text and the attached files come to about ${formatSize(size)} once packed for sending; ` +
        `the server takes at most ${formatSize(MAX_REQUEST_BYTES)} in one request.`,
        "Remove a file, or shorten the text, and generate again.");
      return;
    }
    try {
      body.attachments = await encodeFiles(generator);
    } catch (e) {
      showProblem("A file could not be read.", String(e.message || e), "Add the file again and generate again.");
      return;
    }
  }
  if (generator === "summarize" && (body.text || "").length > JOB_THRESHOLD_CHARS) return runJob(generator, body);
  body.stream = true;

  resetResult();
  const controller = new AbortController();
  startRun(generator, model, controller);
  setStatus("Writing…");

  let outcome = "failed";
  try {
    let response = await send(GENERATORS[generator].path, body, controller);
    if (response.status === 401 && await askForKey()) {
      response = await send(GENERATORS[generator].path, body, controller);
    }
    if (!response.ok || !(response.headers.get("content-type") || "").includes("event-stream")) {
      await showHttpProblem(response);
    } else {
      await readEvents(response.body, (name, data) => {
        if (name === "delta") appendText(data.text || "");
        else if (name === "call") startPost(data);
        else if (name === "progress") showProgress(data);
        else if (name === "done") { outcome = "done"; finish(data); }
        else if (name === "error") {
          outcome = "error";
          const e = explain(data.status, data.code, data.error);
          showProblem(e.title, e.detail, e.next);
        }
      });
      if (outcome === "failed") {
        showProblem("The answer stopped before it was complete.",
          "The connection to the server closed early.", "Try again; if it keeps happening, check the server's log.");
      }
    }
  } catch (e) {
    if (e.name === "AbortError") {
      outcome = "stopped";
      setStatus("Stopped. The server cancelled the model call; the text above is what had arrived.");
    } else {
      showProblem("The server could not be reached.", String(e.message || e),
        "Check that bedrock-content-server is running and reachable, then try again.");
    }
  } finally {
    if (outcome === "failed" || outcome === "error") setStatus("Not finished.");
    settle();
  }
}

function startRun(generator, model, controller) {
  running = {
    controller, generator, model, started: performance.now(), firstToken: null,
    posts: { current: null }, lastProgress: null, job: null, lastJob: null, cancelled: null,
  };
  $("answer").setAttribute("aria-busy", "true");
  $("generate").disabled = true;
  $("stop").disabled = false;
}

function settle() {
  $("answer").setAttribute("aria-busy", "false");
  $("generate").disabled = false;
  $("stop").disabled = true;
  if (document.activeElement === $("stop") || document.activeElement === document.body) {
    $("generate").focus();
  }
  running = null;
}

function send(path, body, controller, accept = "text/event-stream") {
  return apiFetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: accept },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
}

// ---- a large document: a durable job ----
async function runJob(generator, body) {
  body.async = true;
  resetResult();
  const controller = new AbortController();
  startRun(generator, body.model || "", controller);
  setStatus("Sending the document…");
  let response;
  try {
    response = await send(GENERATORS[generator].path, body, controller, "application/json");
    if (response.status === 401 && await askForKey()) {
      response = await send(GENERATORS[generator].path, body, controller, "application/json");
    }
  } catch (e) {
    if (e.name === "AbortError") setStatus("Stopped before the server took the document.");
    else {
      showProblem("The server could not be reached.", String(e.message || e),
        "Check that bedrock-content-server is running and reachable, then try again.");
      setStatus("Not finished.");
    }
    settle();
    return;
  }
  if (response.status !== 202) {
    await showHttpProblem(response);
    setStatus("Not finished.");
    settle();
    return;
  }
  const job = await response.json();
  rememberJob(job.id);
  await trackJob(job.id);
}

// After a reload (or from a #job= link): follow the job this tab started.
async function resumeJob(id) {
  resetResult();
  startRun("summarize", "", new AbortController());
  await trackJob(id);
}

async function trackJob(id) {
  const run = running;
  run.job = id;
  $("answer").dataset.job = id;
  $("progress-box").hidden = false;
  $("progress-text").textContent = "Asking the server about the job…";
  setStatus("Running as a job on the server: reloading this page does not stop it.");
  const onJob = (job) => {
    // A job from a link may be another generator's: show its form and its answer's shape.
    if (GENERATORS[job.kind] && job.kind !== currentGenerator()) {
      run.generator = job.kind;
      const radio = document.querySelector(`input[name="generator"][value="${job.kind}"]`);
      if (radio) radio.checked = true;
      showGenerator(job.kind);
    }
    showJobProgress(job);
  };
  let outcome;
  try {
    do {
      outcome = await followJob(id, { fetchJob: apiFetch, signal: run.controller.signal, onJob });
      // The tab's key is gone or refused (a new tab from a #job= link): ask, then follow again.
    } while (outcome.refused === 401 && await askForKey());
  } catch (e) {
    if (e.name !== "AbortError") throw e;
    outcome = run.cancelled; // Stop: the job as DELETE answered it
  }
  endJob(id, outcome);
}

function endJob(id, job) {
  if (job?.unreachable) {
    // The job goes on; keep it remembered so a reload follows it again.
    showProblem("The server stopped answering about the job.", String(job.unreachable.message || job.unreachable),
      "The job goes on on the server: reload the page to follow it again.");
    setStatus("Not finished.");
    settle();
    return;
  }
  if (job?.refused) {
    const e = explain(job.refused, "", "The server refused to show the job without a valid API key.");
    showProblem(e.title, e.detail, "Reload the page and enter the key you were given: the job goes on meanwhile.");
    setStatus("Not finished.");
    settle();
    return;
  }
  forgetJob();
  if (!job || job.missing) {
    showProblem("The job is no longer on the server.",
      `The server does not know job ${id}: finished jobs are deleted after a while.`, "Generate again.");
    setStatus("Not finished.");
  } else if (job.status === "succeeded") {
    running.lastJob = job;
    if (!GENERATORS[job.kind] || !job.result) {
      showProblem("This page cannot show that job's answer.", `Job ${id} is a '${job.kind}' job.`,
        "Use bedrock-content jobs status to read it.");
      setStatus("Not finished.");
    } else {
      finish(job.result);
    }
  } else if (job.status === "cancelled") {
    setStatus("Stopped. The job was cancelled on the server.");
  } else if (job.status === "failed") {
    const code = job.error?.code;
    const e = explain(statusOfCode(code), code, job.error?.message);
    showProblem(e.title, e.detail, e.next);
    setStatus("Not finished.");
  }
  settle();
}

// Stop on a job: DELETE it; its answer (cancelled, or finished just before) ends the following.
async function cancelJob() {
  const run = running;
  $("stop").disabled = true;
  setStatus("Stopping the job…");
  try {
    const response = await apiFetch(`/v1/jobs/${encodeURIComponent(run.job)}`, {
      method: "DELETE", signal: AbortSignal.timeout(10000),
    });
    if (!response.ok && response.status !== 404) throw new Error(`HTTP ${response.status}`);
    run.cancelled = response.status === 404 ? { missing: true } : await response.json();
    run.controller.abort();
  } catch (e) {
    if (running !== run) return;
    $("stop").disabled = false;
    showProblem("The job could not be stopped.", String(e.message || e), "Press Stop again.");
  }
}

async function showHttpProblem(response) {
  let data = {};
  try { data = await response.json(); } catch { /* not JSON */ }
  const e = explain(response.status, data.code, data.error, response.headers.get("retry-after"));
  showProblem(e.title, e.detail, e.next);
}

function stop() {
  if (!running) return;
  if (running.job) cancelJob();
  else running.controller.abort();
}

// ---- copy and download ----
async function copy() {
  if (!lastAnswer) return;
  try {
    await navigator.clipboard.writeText(lastAnswer.markdown);
    setStatus("Copied to the clipboard.");
  } catch {
    const range = document.createRange();
    range.selectNodeContents($("answer"));
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    setStatus("The browser did not allow copying: the text is selected, press Ctrl+C.");
  }
}

function download() {
  if (!lastAnswer) return;
  const blob = new Blob([lastAnswer.markdown], { type: "text/markdown;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `${lastAnswer.generator}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.md`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- files: choose or drop ----
// A .txt or .md file fills the form's text box (where it has one); a PDF, an Office document or
// a picture is attached (attachments.js) and shown as a chip with a Remove button.
async function loadFiles(generator, files) {
  clearProblem();
  const form = formOf(generator);
  const textBox = form.querySelector("textarea[data-drop]");
  const refused = [];
  const added = [];
  for (const file of files) {
    const kind = kindOf(file);
    if (!kind) {
      refused.push(`${file.name} is not a file the models can read.`);
    } else if (kind === "text" && textBox) {
      textBox.value = await file.text();
      textBox.dispatchEvent(new Event("input"));
      added.push(`Loaded ${file.name} (${file.size.toLocaleString()} bytes) into the text box.`);
    } else {
      const why = addFile(generator, file, kind === "text" ? "document" : kind);
      if (why) refused.push(why);
      else added.push(`Attached ${file.name} (${formatSize(file.size)}).`);
    }
  }
  showChips(generator);
  if (refused.length) {
    showProblem(refused.length === 1 ? "A file was not added." : "Some files were not added.", refused.join(" "),
      "Files that can be attached: PDF, Word, Excel, CSV and HTML documents up to 4.5 MB, and PNG, JPEG, GIF " +
      "or WebP pictures up to 3.75 MB; .txt and .md files fill the text box.");
  }
  if (added.length) {
    setStatus(added.join(" "));
    $("result").hidden = false;
  }
}

function showChips(generator) {
  const list = formOf(generator).querySelector("[data-chips]");
  if (!list) return;
  renderChips(generator, list, (index) => {
    const name = filesOf(generator)[index].file.name;
    removeFile(generator, index);
    showChips(generator);
    setStatus(`Removed ${name}.`);
    // Keep the keyboard in the list: the next chip's button, else the file picker.
    const buttons = list.querySelectorAll("button");
    const next = buttons[Math.min(index, buttons.length - 1)] ||
      formOf(generator).querySelector('input[type="file"]');
    if (next) next.focus();
  });
}

function wireFiles() {
  for (const input of document.querySelectorAll('input[type="file"]')) {
    input.addEventListener("change", () => {
      const generator = input.closest("form[data-generator]").dataset.generator;
      if (input.files.length) loadFiles(generator, [...input.files]);
      input.value = "";
    });
  }
  for (const form of document.querySelectorAll("form[data-generator]")) {
    const zone = form.querySelector("textarea[data-drop]") || form;
    form.addEventListener("dragover", (e) => {
      if ([...e.dataTransfer.types].includes("Files")) {
        e.preventDefault();
        zone.classList.add("dragging");
      }
    });
    form.addEventListener("dragleave", () => zone.classList.remove("dragging"));
    form.addEventListener("drop", (e) => {
      zone.classList.remove("dragging");
      if (!e.dataTransfer.files.length) return;
      e.preventDefault();
      loadFiles(form.dataset.generator, [...e.dataTransfer.files]);
    });
  }
}

// ---- start ----
buildPlatformBoxes();
restoreChoices();
wireFiles();
loadModels();
for (const radio of document.querySelectorAll('input[name="generator"]')) {
  radio.addEventListener("change", () => { clearProblem(); showGenerator(radio.value); });
}
$("rephrase-style").addEventListener("change", updateCustomStyle);
$("model").addEventListener("change", () => store.set("model", $("model").value));
$("generate").addEventListener("click", generate);
$("stop").addEventListener("click", stop);
$("copy").addEventListener("click", copy);
$("download").addEventListener("click", download);
for (const form of document.querySelectorAll("form[data-generator]")) {
  form.addEventListener("submit", (e) => { e.preventDefault(); generate(); });
}
document.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !$("key-dialog").open) {
    e.preventDefault();
    generate();
  } else if (e.key === "Escape" && running) {
    stop();
  }
});
const pendingJob = rememberedJob();
if (pendingJob) resumeJob(pendingJob);
document.body.dataset.ready = "true";
