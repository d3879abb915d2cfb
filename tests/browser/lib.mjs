// Shared helpers of the browser tests: the styrdok binary, a copy of the
// example site in a temp dir, a preview server, and Debian's Chromium.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

export const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const binary = process.env.STYRDOK_BIN || join(repo, "target", "debug", "styrdok");
export const today = "2026-11-27";

/** A copy of the repository's example site (config, content, themes). */
export function exampleSite() {
  const dir = mkdtempSync(join(tmpdir(), "styrdok-browser-"));
  cpSync(join(repo, "styrdok.toml"), join(dir, "styrdok.toml"));
  cpSync(join(repo, "content"), join(dir, "content"), { recursive: true });
  return dir;
}

/** Starts `styrdok serve --port 0` and resolves with its base URL. */
export function serve(root, extra = []) {
  const child = spawn(binary, ["serve", "--port", "0", "--today", today, "--root", root, ...extra], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      const m = line.match(/http:\/\/\S+\//);
      if (m) resolve({ url: m[0], stop: () => child.kill("SIGINT") });
      else reject(new Error(`no address in: ${line}`));
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

/** Debian's Chromium, headless, with no network chatter. */
export async function browser() {
  const candidates = [process.env.CHROMIUM, "/usr/lib/chromium/chromium", "/usr/bin/chromium"].filter(Boolean);
  const executablePath = candidates.find((p) => existsSync(p));
  if (!executablePath) throw new Error("Chromium not found: install the Debian package chromium");
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}

// The widths every page type is read at: a laptop and a phone.
export const widths = [[1280, 900], [390, 844]];

// What of a page is wider than its screen: the page scrolling sideways,
// and tables cut off (wider than their region, which does not scroll).
export function overflow() {
  const problems = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) {
    const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > page.clientWidth + 1 && !e.closest(".table-scroll"));
    problems.push(`page ${page.scrollWidth}px wide in ${page.clientWidth}px: ${wide.slice(0, 3).map((e) => e.tagName + "." + e.className).join(", ")}`);
  }
  for (const table of document.querySelectorAll("main table")) {
    const region = table.closest(".table-scroll");
    const box = table.getBoundingClientRect();
    if (!region) {
      if (table.scrollWidth > table.parentElement.clientWidth + 1) problems.push(`a table ${Math.round(box.width)}px wide outside a scroll region`);
      continue;
    }
    const fits = table.offsetWidth <= region.clientWidth + 1;
    const scrolls = getComputedStyle(region).overflowX === "auto" && region.scrollWidth > region.clientWidth;
    const labelled = region.getAttribute("role") === "region" && (region.getAttribute("aria-label") || region.getAttribute("aria-labelledby")) && region.tabIndex === 0;
    if (!fits && !scrolls) problems.push(`a table ${table.offsetWidth}px wide is cut off in its ${region.clientWidth}px region`);
    if (!fits && !labelled) problems.push("a table that scrolls in a region without a label or keyboard focus");
  }
  return problems;
}
