// A large document runs as a durable job on the server (/v1/jobs, docs/jobs-api.md) rather than
// over a stream that dies with the page: the job's id is kept in this tab (sessionStorage) and in
// the address (#job=<id>), so a reload picks the job up again and follows it to its answer.

// Longer texts than this are summarized as a job. The server splits a text into chunks when it
// does not fit the model's context window (src/content/model_limits.cpp, about 4 characters a
// token): 100,000 characters (~25,000 tokens) is below the window of every model in the registry
// but the 8k-token ones (Titan Text Express, Llama 3 8B/70B), so a text the server would split on
// the default models (200k-token Claude, 128k-token Nova) always runs as a job. A shorter text
// still streams, and shows its chunks' progress over the stream when a small model must split it.
export const JOB_THRESHOLD_CHARS = 100_000;

const SLOT = "bedrock.job";
const HASH = /^#job=(job_[A-Za-z0-9_-]{1,64})$/;

// The job this tab follows: the address first (a shared or bookmarked link), then the tab's own.
export function rememberedJob() {
  const fromHash = HASH.exec(location.hash);
  if (fromHash) return fromHash[1];
  try {
    const saved = sessionStorage.getItem(SLOT);
    return saved && /^job_[A-Za-z0-9_-]{1,64}$/.test(saved) ? saved : null;
  } catch {
    return null;
  }
}

export function rememberJob(id) {
  try { sessionStorage.setItem(SLOT, id); } catch { /* private mode: the address still has it */ }
  history.replaceState(null, "", `${location.pathname}${location.search}#job=${id}`);
}

export function forgetJob() {
  try { sessionStorage.removeItem(SLOT); } catch { /* ignore */ }
  if (HASH.test(location.hash)) history.replaceState(null, "", `${location.pathname}${location.search}`);
}

// Polls quickly while the job moves and backs off while it does not: 250 ms up to 2 s.
export const POLL_FIRST_MS = 250;
export const POLL_MAX_MS = 2000;
// Unanswered polls are retried (1 s, doubling to 8 s) for this long, then the page gives up
// following; the job itself goes on, and a reload follows it again.
export const UNREACHABLE_GIVE_UP_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

// The wait between polls after one that showed `changed` progress (or not).
export function nextDelay(previous, changed) {
  return changed ? POLL_FIRST_MS : Math.min(POLL_MAX_MS, Math.round(previous * 1.5));
}

// Follows job `id` until it ends: onJob(job) after every answer; resolves with the last job
// (succeeded, failed, cancelled), or {missing: true} for a job the server does not know,
// {refused: status} when the server wants another API key (401, 403), or {unreachable: error}
// when polls went unanswered for UNREACHABLE_GIVE_UP_MS. `signal` ends the
// following early (rejects with AbortError).
export async function followJob(id, { fetchJob, onJob, signal }) {
  let delay = POLL_FIRST_MS;
  let lastSeen = "";
  let failingSince = null;
  let retry = 1000;
  for (;;) {
    let response;
    try {
      response = await fetchJob(`/v1/jobs/${encodeURIComponent(id)}`, {
        method: "GET",
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
    } catch (e) {
      if (signal.aborted) throw e;
      failingSince ??= performance.now();
      if (performance.now() - failingSince > UNREACHABLE_GIVE_UP_MS) return { unreachable: e };
      await sleep(retry, signal);
      retry = Math.min(8000, retry * 2);
      continue;
    }
    if (response.status === 404) return { missing: true };
    if (response.status === 401 || response.status === 403) return { refused: response.status };
    if (!response.ok) {
      failingSince ??= performance.now();
      if (performance.now() - failingSince > UNREACHABLE_GIVE_UP_MS) {
        return { unreachable: new Error(`HTTP ${response.status}`) };
      }
      await sleep(retry, signal);
      retry = Math.min(8000, retry * 2);
      continue;
    }
    failingSince = null;
    retry = 1000;
    const job = await response.json();
    onJob(job);
    if (job.status === "succeeded" || job.status === "failed" || job.status === "cancelled") return job;
    const seen = `${job.status} ${job.progress?.done} ${job.progress?.total}`;
    delay = nextDelay(delay, seen !== lastSeen);
    lastSeen = seen;
    await sleep(delay, signal);
  }
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const stopped = () => {
      clearTimeout(timer);
      reject(new DOMException("stopped", "AbortError"));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stopped);
      resolve();
    }, ms);
    signal.addEventListener("abort", stopped, { once: true });
  });
}

// The HTTP status the /api endpoint would have answered for a failed job's error code, for the
// page's sentences (problems.js).
export function statusOfCode(code) {
  switch (code) {
    case "Validation": return 400;
    case "AccessDenied": return 403;
    case "ResourceNotFound": return 404;
    case "InputTooLong": return 422;
    case "Throttling": case "ServiceQuotaExceeded": return 429;
    case "QueueFull": case "ServiceUnavailable": return 503;
    case "DeadlineExceeded": case "ModelTimeout": case "ReadTimeout": return 504;
    default: return 502;
  }
}
