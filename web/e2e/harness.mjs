// Minimal e2e harness: starts the real photomap server on a temporary config and a headless
// Debian chromium through playwright-core, runs named tests in order, and reports counts.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync, cpSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export function makeTempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

// Copies up to `limit` JPEGs from the first folder that exists into `dest`.
export function copyPhotos(sources, dest, limit = 8) {
  mkdirSync(dest, { recursive: true });
  for (const src of sources) {
    let names;
    try {
      names = readdirSync(src).filter((n) => /\.(jpe?g|png)$/i.test(n)).sort();
    } catch {
      continue;
    }
    for (const n of names.slice(0, limit)) cpSync(join(src, n), join(dest, n));
    return names.slice(0, limit).length;
  }
  throw new Error(`no photo folder found among ${sources.join(", ")}`);
}

export async function startServer(bin, configPath, webRoot, extraArgs = []) {
  writeFileSync(configPath, "", { flag: "a" });
  const env = { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? "detect_leaks=0" };
  const child = spawn(bin, ["serve", "--port", "0", "--no-browser", "--config", configPath, "--web-root", webRoot, ...extraArgs], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Never leave a server behind, even when this process dies early (e.g. SIGPIPE, SIGINT).
  const killChild = () => {
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  process.once("exit", killChild);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE"]) {
    process.once(sig, () => {
      killChild();
      process.exit(128);
    });
  }
  let log = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${log}`)), 60000);
    const onData = (d) => {
      log += d.toString();
      const m = log.match(/serving on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => (log += d.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  child.stdout.on("data", (d) => (log += d.toString()));
  return {
    url,
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.removeAllListeners("exit");
        const t0 = Date.now();
        child.on("exit", (code, signal) => {
          if (code !== 0) log += `\n[e2e] server exit code ${code} signal ${signal} after ${Date.now() - t0} ms\n`;
          resolve(code);
        });
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 30000).unref();
      }),
  };
}

export async function launchBrowser() {
  const profile = makeTempDir("photomap-chromium-");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Records console errors and uncaught page errors; `allowed` patterns are expected failures
// (e.g. a 404 for "no index yet" is how the API reports a missing index).
export function watchConsole(page, allowed = []) {
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const text = m.text();
    if (allowed.some((re) => re.test(text))) return;
    problems.push(`console.error: ${text}`);
  });
  return problems;
}

export class Runner {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
  }

  async test(name, fn) {
    const t0 = Date.now();
    try {
      const r = await fn();
      if (r === "skip") {
        this.skipped++;
        console.log(`skip - ${name}`);
        return;
      }
      this.passed++;
      console.log(`ok - ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      this.failed++;
      console.log(`not ok - ${name} (${Date.now() - t0} ms)\n  ${String(e?.stack ?? e).split("\n").slice(0, 6).join("\n  ")}`);
    }
  }
}

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}
