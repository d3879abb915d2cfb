// A review site in a real browser: the example site in a git repository
// with a branch that changes two documents, renames one and removes one;
// `styrdok review --base main` writes the review. Its start page lists
// exactly those four, each link opens a redline, the marked and the clean
// page switch, axe-core finds no WCAG 2.1 A/AA violations and the Nu Html
// Checker no errors. Screenshots go to target/screenshots/.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { exampleSite, binary, today, browser, repo, widths, overflow } from "./lib.mjs";

const require = createRequire(import.meta.url);
const shots = join(repo, "target", "screenshots");
let site;
let out;

function git(args) {
  const date = "2026-06-01T10:00:00+02:00";
  execFileSync("git", args, {
    cwd: site,
    env: { ...process.env, GIT_AUTHOR_NAME: "Åsa Öberg", GIT_AUTHOR_EMAIL: "asa@example.se", GIT_COMMITTER_NAME: "Åsa Öberg",
      GIT_COMMITTER_EMAIL: "asa@example.se", GIT_CONFIG_NOSYSTEM: "1", HOME: site, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    stdio: "ignore",
  });
}

function edit(rel, from, to) {
  const file = join(site, rel);
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes(from), `${from} in ${rel}`);
  writeFileSync(file, text.replace(from, to));
}

before(() => {
  site = exampleSite();
  out = join(site, "output-review");
  git(["init", "-q", "-b", "main"]);
  git(["add", "-A"]);
  git(["commit", "-q", "-m", "Styrdokumenten"]);
  git(["checkout", "-q", "-b", "revidering"]);
  edit("content/instruktioner/drift.md", "inställelsetid högst en timme", "inställelsetid högst 45 minuter");
  edit("content/instruktioner/anvandare.md", "dokumentägare: IT-säkerhetssamordnare", "dokumentägare: HR-chef");
  git(["mv", "content/rutiner/incidentrapportering.md", "content/rutiner/it-incidenter.md"]);
  git(["rm", "-q", "content/planer/trygghetslarm.md"]);
  git(["commit", "-q", "-am", "Revidering att granska"]);
  execFileSync(binary, ["review", "--base", "main", "--root", site, "--today", today], { stdio: "ignore" });
});

const url = (p) => pathToFileURL(join(out, p)).href;

test("the review's start page lists exactly the four documents, each with a working redline", async () => {
  mkdirSync(shots, { recursive: true });
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(url("granskning/index.html"));
    const rows = page.locator("table.review-docs > tbody > tr");
    const found = await rows.evaluateAll((trs) => trs.map((tr) => [tr.className, tr.querySelector("td:nth-child(2) a").textContent]));
    found.sort();
    assert.deepEqual(found, [
      ["review-changed", "IT-säkerhetsinstruktion: Användare"],
      ["review-changed", "IT-säkerhetsinstruktion: Drift"],
      ["review-removed", "Systemsäkerhetsplan Trygghetslarm"],
      ["review-renamed", "Rutin för rapportering av IT-incidenter"],
    ]);
    await page.screenshot({ path: join(shots, "review-start.png"), fullPage: true });
    const links = await rows.locator("td:nth-child(2) > a:first-child").evaluateAll((as) => as.map((a) => a.href));
    for (const href of links) {
      await page.goto(href);
      assert.equal(await page.locator(".redline").count(), 1, href);
      assert.equal(await page.locator(".review-switch [aria-current=page]").innerText(), "Med ändringar markerade");
    }
    // Drift: the changed words, marked; the switch leads to the clean page and back.
    await page.goto(url("granskning/instruktioner/drift.html"));
    assert.deepEqual(await page.locator(".redline ins").allInnerTexts(), ["45", "minuter"]);
    await page.locator(".banner-review-doc").screenshot({ path: join(shots, "review-switch.png") });
    await page.screenshot({ path: join(shots, "review-marked.png"), fullPage: true });
    await page.locator(".review-switch a", { hasText: "Ren sida" }).click();
    assert.match(page.url(), /output-review\/instruktioner\/drift\.html$/);
    assert.equal(await page.locator(".doc-body ins").count(), 0, "the clean page's text is clean");
    assert.match(await page.locator(".doc-body").innerText(), /högst 45 minuter/);
    await page.locator(".review-switch a", { hasText: "Med ändringar markerade" }).click();
    assert.match(page.url(), /granskning\/instruktioner\/drift\.html$/);
    // The removed plan: its text struck, nothing inserted.
    await page.goto(url("granskning/planer/trygghetslarm.html"));
    assert.ok((await page.locator(".redline del").count()) > 0);
    assert.equal(await page.locator(".redline ins").count(), 0);
  } finally {
    await chrome.close();
  }
});

test("the review's pages at 1280 and 390 px: no sideways scroll, no table cut off, no axe-core violations", async () => {
  const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const chrome = await browser();
  const problems = [];
  mkdirSync(join(shots, "pages"), { recursive: true });
  try {
    for (const [width, height] of widths) {
      const context = await chrome.newContext({ viewport: { width, height } });
      for (const p of ["granskning/index.html", "granskning/instruktioner/drift.html", "granskning/instruktioner/anvandare.html",
        "granskning/planer/trygghetslarm.html", "instruktioner/drift.html", "index.html"]) {
        const page = await context.newPage();
        await page.goto(url(p));
        await page.screenshot({ path: join(shots, "pages", `review-${p.replace(/\//g, "_")}-${width}.png`), fullPage: true });
        for (const o of await page.evaluate(overflow)) problems.push(`${p} at ${width}: ${o}`);
        await page.addScriptTag({ content: axe });
        const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
        for (const v of result.violations) problems.push(`${p} at ${width}: ${v.id} ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        await page.close();
      }
      await context.close();
    }
  } finally {
    await chrome.close();
  }
  assert.deepEqual(problems, []);
});

test("the Nu Html Checker finds no errors in the review site", () => {
  const jar = join(require.resolve("vnu-jar/package.json"), "..", "build", "dist", "vnu.jar");
  let output = "";
  try {
    execFileSync("java", ["-jar", jar, "--errors-only", "--format", "gnu", "--skip-non-html", join(out, "granskning"), join(out, "instruktioner")], { stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    output = String(e.stderr || "") + String(e.stdout || "");
  }
  assert.equal(output.trim(), "");
});
