// What the browser tests and the screenshot script share: bedrock-emulator and
// bedrock-content-server on free loopback ports (demo credentials, a clean HOME), and Debian's
// chromium driven by playwright-core. Every wait has a deadline.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const AK = "AKIDE2ETEST";
const SK = "e2e/secret+KEY0123456789abcdefghijkl";

// Why the tests cannot run here, or null.
export function missing() {
  if (!existsSync(CHROMIUM)) return `chromium is not installed (${CHROMIUM}); scripts/install-deps.sh installs it`;
  const here = new URL(".", import.meta.url).pathname;
  if (!existsSync(join(here, "node_modules", "playwright-core"))) {
    return "playwright-core is not installed; scripts/test-setup.sh installs it";
  }
  return null;
}

// Starts `args` and resolves with the first line that names an address, within 15 s.
function startProcess(binary, args, env) {
  const proc = spawn(binary, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (d) => { stderr = (stderr + d).slice(-4000); });
  const lines = createInterface({ input: proc.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill("SIGKILL"); reject(new Error(`${binary} did not start: ${stderr}`)); }, 15000);
    lines.once("line", (line) => {
      clearTimeout(timer);
      const urls = line.match(/http:\/\/[0-9.]+:\d+/g);
      if (!urls) { proc.kill("SIGKILL"); reject(new Error(`${binary} did not start: ${line} ${stderr}`)); return; }
      lines.on("line", () => {}); // keep draining stdout
      resolve({ proc, urls });
    });
  });
}

function stopProcess(proc) {
  if (!proc || proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { proc.kill("SIGKILL"); }, 10000);
    proc.once("exit", () => { clearTimeout(timer); resolve(); });
    proc.kill("SIGTERM");
  });
}

// The emulator (with its admin API) and the server in front of it.
// `serverEnv` adds to the server's environment (BEDROCK_CONTENT_SERVER_API_KEYS).
export async function startStack({ server, emulator, streamTokenMs = 40, serverEnv = {} }) {
  const home = mkdtempSync(join(tmpdir(), "bedrock-page-"));
  const env = { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: AK, AWS_SECRET_ACCESS_KEY: SK,
    AWS_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true" };
  const emu = await startProcess(emulator, ["--port", "0", "--admin-port", "0", "--credentials", `${AK}:${SK}`,
    "--seed", "3", "--threads", "2", "--stream-token-ms", String(streamTokenMs)], env);
  let srv;
  try {
    srv = await startProcess(server, ["--port", "0"], { ...env, ...serverEnv,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emu.urls[0] });
  } catch (e) {
    await stopProcess(emu.proc);
    throw e;
  }
  return {
    url: srv.urls[0],
    emulatorUrl: emu.urls[0],
    admin: emu.urls[1],
    async stop() {
      await stopProcess(srv.proc);
      await stopProcess(emu.proc);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  const { chromium } = await import("playwright-core");
  // Root (CI, containers) cannot use chromium's sandbox.
  const args = process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : [];
  return chromium.launch({ executablePath: CHROMIUM, args, timeout: 30000 });
}
