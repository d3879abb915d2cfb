// The Markdown features (alerts, footnotes, task lists, strikethrough,
// abbreviations, heading links) on a page built from tests/fixtures/markdown
// over tests/fixtures/basic: valid HTML by the Nu Html Checker, no axe-core
// violations, strikethrough styled unlike a redline deletion, heading links
// reachable by keyboard and shown when focused.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { binary, today, browser, repo } from "./lib.mjs";

const require = createRequire(import.meta.url);
let out;

before(() => {
  const site = mkdtempSync(join(tmpdir(), "styrdok-markdown-"));
  for (const fixture of ["basic", "markdown"]) {
    cpSync(join(repo, "tests", "fixtures", fixture), site, { recursive: true });
  }
  execFileSync(binary, ["build", "--root", site, "--today", today], { stdio: "ignore" });
  out = join(site, "output");
});

const pageUrl = () => pathToFileURL(join(out, "rutiner", "markdown.html")).href;

test("the Nu Html Checker reports no errors on the page with every feature", () => {
  const jar = join(require.resolve("vnu-jar/package.json"), "..", "build", "dist", "vnu.jar");
  let output = "";
  try {
    execFileSync("java", ["-jar", jar, "--errors-only", "--format", "gnu", join(out, "rutiner", "markdown.html")], { stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    output = String(e.stderr || "") + String(e.stdout || "");
  }
  assert.equal(output.trim(), "");
});

test("axe-core reports no violations, at 1280 and 390 px", async () => {
  const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const chrome = await browser();
  try {
    for (const width of [1280, 390]) {
      const page = await (await chrome.newContext({ viewport: { width, height: 900 } })).newPage();
      await page.goto(pageUrl());
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`), [], `at ${width}`);
    }
  } finally {
    await chrome.close();
  }
});

test("strikethrough looks unlike a redline deletion, which keeps its look", async () => {
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext()).newPage();
    await page.goto(pageUrl());
    const style = (el) => {
      const s = getComputedStyle(el);
      return { color: s.color, background: s.backgroundColor, line: s.textDecorationLine };
    };
    const struck = await page.locator(".doc-body s").first().evaluate(style);
    const text = await page.locator(".doc-body p").first().evaluate(style);
    // A redline's deletion, as the redline pages write it, under the same stylesheet.
    const del = await page.evaluate(() => {
      const d = document.createElement("del");
      d.textContent = "borttaget";
      document.querySelector(".doc-body").append(d);
      const s = getComputedStyle(d);
      return { color: s.color, background: s.backgroundColor, line: s.textDecorationLine };
    });
    assert.equal(struck.line, "line-through");
    assert.equal(struck.color, text.color, "strikethrough in the text's colour");
    assert.equal(struck.background, "rgba(0, 0, 0, 0)", "no background");
    assert.notEqual(del.background, struck.background, "the redline's <del> keeps its background");
    assert.notEqual(del.color, struck.color, "and its colour");
  } finally {
    await chrome.close();
  }
});

test("heading links are in the tab order and show when focused; task boxes have their text as name", async () => {
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(pageUrl());
    const link = page.locator("h3 .heading-link");
    assert.equal(await link.evaluate((a) => getComputedStyle(a).opacity), "0", "hidden until wanted");
    // Tab from the element before it reaches it.
    await page.locator("h3").evaluate((h) => h.previousElementSibling.setAttribute("tabindex", "-1"));
    await page.locator("h3").evaluate((h) => h.previousElementSibling.focus());
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.className), "heading-link");
    assert.equal(await link.evaluate((a) => getComputedStyle(a).opacity), "1");
    assert.equal(await link.getAttribute("href"), "#checklista");
    // The disabled box's accessible name is its item's text.
    const box = page.getByRole("checkbox", { name: "Reservkoder utskrivna" });
    assert.equal(await box.count(), 1);
    assert.equal(await box.isDisabled(), true);
    // Alerts are notes with a visible title.
    const notes = page.getByRole("note");
    assert.ok((await notes.count()) >= 5);
    assert.equal(await page.locator(".markdown-alert-warning .markdown-alert-title").innerText(), "Varning");
  } finally {
    await chrome.close();
  }
});
