// The built site in a real browser: offline search, and accessibility
// (axe-core, WCAG 2.1 A/AA) and HTML validity (Nu Html Checker) of every
// page type, on the example site committed to git with a tag, so history,
// versions and change logs are there too.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { exampleSite, binary, today, browser, repo } from "./lib.mjs";

const require = createRequire(import.meta.url);
let site;
let out;

function git(args) {
  execFileSync("git", args, {
    cwd: site,
    env: { ...process.env, GIT_AUTHOR_NAME: "Åsa Öberg", GIT_AUTHOR_EMAIL: "asa@example.se", GIT_COMMITTER_NAME: "Åsa Öberg",
      GIT_COMMITTER_EMAIL: "asa@example.se", GIT_CONFIG_NOSYSTEM: "1", HOME: site },
    stdio: "ignore",
  });
}

before(() => {
  site = exampleSite();
  out = join(site, "output");
  git(["init", "-q", "-b", "main"]);
  git(["add", "-A"]);
  git(["commit", "-q", "-m", "Första versionen"]);
  git(["tag", "v1.0"]);
  const drift = join(site, "content", "instruktioner", "drift.md");
  writeFileSync(drift, readFileSync(drift, "utf8").replace("## Bemanning\n", "## Bemanning\n\nJourlistan publiceras varje fredag.\n"));
  git(["commit", "-q", "-am", "Jourlistan"]);
  // Drift 1.2 changed without a new version: its page has the adoption
  // banner. The incident routine overdue (in the work tree): its page has
  // the revision banner, and the start page lists it.
  const routine = join(site, "content", "rutiner", "incidentrapportering.md");
  writeFileSync(routine, readFileSync(routine, "utf8").replace("nästa_revision: 2027-04-30", "nästa_revision: 2026-11-01"));
  execFileSync(binary, ["build", "--root", site, "--today", today], { stdio: "ignore" });
});

const pageTypes = [
  "index.html", "hierarki.html", "systemregister.html", "uppfoljning.html", "omraden.html", "sok.html?q=säkerhetskopiering",
  "it-sakerhetspolicy.html", "instruktioner/drift.html", "planer/index.html", "planer/lonesystem.html", "arsmal/2026.html", "rutiner/incidentrapportering.html",
  "historik/instruktioner/drift.html", "versioner/index.html", "versioner/v1.0/andringar.html", "versioner/v1.0/instruktioner/drift.html",
];

function fileUrl(page) {
  const [path, query] = page.split("?");
  return pathToFileURL(join(out, path)).href + (query ? "?" + query : "");
}

test("search finds documents and headings, prefixes and å/ä/ö, offline", async () => {
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext()).newPage();
    await page.goto(fileUrl("index.html"));
    // By keyboard, from the search box every page has.
    await page.focus("#site-search-q");
    await page.keyboard.type("säkerhetskop");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#search-results li");
    const first = await page.locator("#search-results li a").first();
    const href = await first.getAttribute("href");
    assert.match(href, /#s%C3%A4kerhetskopiering/i);
    assert.match(await page.locator("#search-status").innerText(), /träffar/);
    const items = await page.locator("#search-results li").allInnerTexts();
    assert.ok(items.some((t) => /IT-säkerhetsinstruktion/.test(t)), items.join("\n"));
    // Folded: without å/ä/ö.
    await page.goto(fileUrl("sok.html?q=sakerhetskopiering"));
    await page.waitForSelector("#search-results li");
    assert.match(await page.locator("#search-status").innerText(), /å, ä och ö/);
    // Upper case finds the same; a title word ranks its document first.
    await page.goto(fileUrl("sok.html?q=TRYGGHETSLARM"));
    await page.waitForSelector("#search-results li");
    assert.match(await page.locator("#search-results li").first().innerText(), /Trygghetslarm/);
    // Following a result lands on the heading.
    await page.goto(fileUrl("sok.html?q=elförsörjning"));
    await page.locator("#search-results li a").first().click();
    await page.waitForLoadState("load");
    assert.match(page.url(), /drift\.html#elf%C3%B6rs%C3%B6rjning$/i);
  } finally {
    await chrome.close();
  }
});

test("the banners and the start page's follow-up lists are on the pages axe-core checks", () => {
  const read = (p) => readFileSync(join(out, p), "utf8");
  assert.match(read("instruktioner/drift.html"), /class="banner banner-unadopted" role="note"/);
  assert.match(read("rutiner/incidentrapportering.html"), /class="banner banner-revision banner-revision-overdue" role="note"/);
  const index = read("index.html");
  assert.match(index, /id="revisions-due-heading"/);
  assert.match(index, /id="recently-adopted-heading"/);
});

test("axe-core reports no WCAG 2.1 A/AA violations on any page type", async () => {
  const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const shots = join(repo, "target", "screenshots");
  mkdirSync(shots, { recursive: true });
  const chrome = await browser();
  const problems = [];
  try {
    const context = await chrome.newContext();
    for (const p of pageTypes) {
      const page = await context.newPage();
      await page.goto(fileUrl(p));
      await page.waitForLoadState("load");
      // Kept for people to look at: target/screenshots/<page>.png.
      await page.screenshot({ path: join(shots, p.replace(/[/?=]/g, "_") + ".png") });
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      for (const v of result.violations) {
        problems.push(`${p}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      }
      await page.close();
    }
  } finally {
    await chrome.close();
  }
  assert.deepEqual(problems, []);
});

test("a document prints with its document-control header and without navigation", async () => {
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext()).newPage();
    await page.goto(fileUrl("instruktioner/drift.html"));
    await page.emulateMedia({ media: "print" });
    const shown = async (sel) => page.locator(sel).first().evaluate((el) => getComputedStyle(el).display !== "none");
    assert.equal(await shown(".site-header"), false);
    assert.equal(await shown(".doc-nav"), false);
    assert.equal(await shown(".backlinks"), false);
    assert.equal(await shown(".doc-control"), true);
    const control = await page.locator(".doc-control").innerText();
    for (const label of ["Dokumenttyp", "Version", "Status", "Dokumentägare", "Fastställd", "Fastställd av", "Nästa revision", "Informationsklass"]) {
      assert.ok(control.includes(label), `${label} in the printed header`);
    }
    const pdf = await page.pdf({ format: "A4" });
    assert.ok(pdf.length > 10000, "a PDF of the page");
  } finally {
    await chrome.close();
  }
});

test("the Nu Html Checker reports no errors on any page", () => {
  const jar = join(require.resolve("vnu-jar/package.json"), "..", "build", "dist", "vnu.jar");
  let output = "";
  try {
    execFileSync("java", ["-jar", jar, "--errors-only", "--format", "gnu", "--skip-non-html", out], { stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    output = String(e.stderr || "") + String(e.stdout || "");
  }
  assert.equal(output.trim(), "");
});
