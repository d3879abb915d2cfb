// Live preview in a real browser: an atomic save shows the new text without
// a manual reload (and keeps the reading position); broken front matter
// shows the overlay; fixing it brings the page back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { exampleSite, serve, browser } from "./lib.mjs";

function atomicSave(path, text) {
  const tmp = path.replace(/([^/]+)$/, ".$1.tmp4711");
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

test("edit, break and fix a document while it is open", async () => {
  const site = exampleSite();
  const server = await serve(site);
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext()).newPage();
    // A loaded CI machine may take long for the first page of a fresh
    // preview: wait for it by the page's own state, with room to spare.
    await page.goto(server.url + "instruktioner/drift.html", { waitUntil: "domcontentloaded", timeout: 90000 });
    await page.waitForFunction(() => document.readyState === "complete", null, { timeout: 90000 });
    const file = join(site, "content", "instruktioner", "drift.md");
    const original = readFileSync(file, "utf8");
    assert.ok(original.includes("## Bemanning"));

    // 1. An atomic save appears without a manual reload; the position is kept.
    await page.evaluate(() => { window.__marker = true; window.scrollTo(0, 600); });
    await page.waitForTimeout(50);
    const before = await page.evaluate(() => window.scrollY);
    const edited = original.replace("## Bemanning\n", "## Bemanning\n\nLIVE-ÄNDRING i förhandsgranskningen.\n");
    atomicSave(file, edited);
    await page.waitForFunction(() => window.__marker === undefined && document.body.innerText.includes("LIVE-ÄNDRING"), null, { timeout: 15000 });
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 5, before, { timeout: 5000 });

    // 2. Broken front matter: an overlay lists the diagnostic, the page stays.
    await page.evaluate(() => { window.__marker = true; });
    atomicSave(file, edited.replace("typ: instruktion", "typ: instruktionn"));
    const overlay = page.locator("#styrdok-overlay");
    await overlay.waitFor({ state: "visible", timeout: 15000 });
    const text = await overlay.innerText();
    assert.match(text, /SD108 content\/instruktioner\/drift\.md:3:\d+/);
    assert.equal(await page.evaluate(() => window.__marker), true, "no reload while broken");

    // 3. Fixed: the overlay goes and the page reloads.
    atomicSave(file, original);
    await page.waitForFunction(() => window.__marker === undefined && !document.getElementById("styrdok-overlay"), null, { timeout: 15000 });
    assert.ok(!(await page.content()).includes("LIVE-ÄNDRING"));
  } finally {
    await chrome.close();
    server.stop();
  }
});

test("a page opened while the build is broken shows the overlay", async () => {
  const site = exampleSite();
  const file = join(site, "content", "it-sakerhetspolicy.md");
  writeFileSync(file, readFileSync(file, "utf8").replace("status: fastställd", "status: klar"));
  const server = await serve(site);
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext()).newPage();
    await page.goto(server.url);
    await page.locator("#styrdok-overlay").waitFor({ state: "visible", timeout: 15000 });
    assert.match(await page.locator("#styrdok-overlay").innerText(), /SD108 content\/it-sakerhetspolicy\.md:5/);
  } finally {
    await chrome.close();
    server.stop();
  }
});
