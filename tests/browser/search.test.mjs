// The split search index in a real browser, from file:// as on a file
// share: compound parts, joined hyphens, several words, highlighting, the
// built-in filters, the query kept in both boxes, the Swedish stemmer's
// port against rust-stemmers, axe-core, and a generated site of 2,000
// documents where a query loads only some of the chunks.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { exampleSite, binary, today, browser, repo } from "./lib.mjs";
import { addGenerated } from "./search-corpus.mjs";

const require = createRequire(import.meta.url);
const shots = join(repo, "target", "screenshots");
let site;
let out;
let chrome;

// A routine that has "kopiering" as a word of its own (the example site
// has it only inside compounds) and a section on passwords and MFA.
const ROUTINE = `---
titel: Rutin för kopiering av handlingar
typ: dokument
id: rutin-kopiering
status: fastställd
version: "1.0"
dokumentägare: Arkivarie
fastställd: 2026-05-04
fastställd_av: IT-chef
nästa_revision: 2027-05-31
överordnad: it-säkerhetspolicy
---

## Kopiering till arkivet

Vid kopiering av handlingar till arkivet kontrolleras att kopian går att läsa.

## Inloggning i arkivsystemet

Ett lösenord räcker inte: arkivsystemet kräver MFA för alla konton.
`;

before(async () => {
  site = exampleSite();
  out = join(site, "output");
  mkdirSync(join(site, "content", "rutiner"), { recursive: true });
  writeFileSync(join(site, "content", "rutiner", "kopiering.md"), ROUTINE);
  execFileSync(binary, ["build", "--root", site, "--today", today], { stdio: "ignore" });
  chrome = await browser();
});

after(async () => {
  await chrome.close();
});

const url = (root, q, extra = "") => pathToFileURL(join(root, "sok.html")).href + "?q=" + encodeURIComponent(q) + extra;

// A page that records its errors and the files it asked for.
async function open(viewport) {
  const context = await chrome.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  page.errors = [];
  page.requested = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") page.errors.push(m.text()); });
  page.on("request", (r) => page.requested.push(r.url()));
  return page;
}

// Waits until the search has shown its outcome.
async function settled(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status").textContent;
    return s !== "" && !/Söker/.test(s);
  });
}

async function search(page, root, q, extra) {
  await page.goto(url(root, q, extra));
  await settled(page);
  return page.locator("#search-results > li");
}

const whole = (text, word) => new RegExp(`(^|[^\\p{L}])${word}([^\\p{L}]|$)`, "iu").test(text);

test("a word inside compounds is found, ranked below whole-word matches", async () => {
  const page = await open();
  const items = await (await search(page, out, "kopiering")).allInnerTexts();
  assert.ok(items.length > 3, items.join("\n"));
  assert.ok(items.some((t) => /säkerhetskopiering/i.test(t)), items.join("\n"));
  // Every result with "kopiering" as a word comes before every result
  // that has it only inside a compound.
  const wholes = items.map((t) => whole(t, "kopiering"));
  assert.equal(wholes[0], true, items[0]);
  assert.ok(wholes.includes(false));
  assert.deepEqual(wholes, [...wholes].sort((a, b) => b - a), wholes.join(","));
  const marks = await page.locator("#search-results mark").allInnerTexts();
  assert.ok(marks.some((m) => /^säkerhetskopiering/i.test(m)), marks.join(","));
  assert.deepEqual(page.errors, []);
});

test("epost finds e-post, and lösenord MFA finds the section with both first", async () => {
  const page = await open();
  const epost = await search(page, out, "epost");
  assert.ok((await epost.count()) > 3);
  const marks = await page.locator("#search-results mark").allInnerTexts();
  assert.ok(marks.length > 0 && marks.every((m) => /e-post/i.test(m)), marks.join(","));
  const both = await search(page, out, "lösenord MFA");
  assert.ok((await both.count()) > 1);
  const first = await both.first().innerText();
  assert.ok(/lösenord/i.test(first) && /MFA/.test(first), first);
  // More results than the one section: those with one of the words.
  assert.ok((await both.allInnerTexts()).slice(1).some((t) => !/MFA/.test(t)));
  // An inflected form meets the indexed one at its stem.
  const stem = await (await search(page, out, "lösenorden")).allInnerTexts();
  assert.ok(stem.some((t) => whole(t, "lösenord")), stem.join("\n"));
  assert.deepEqual(page.errors, []);
});

test("matches are marked in titles and in excerpts taken around them", async () => {
  const page = await open({ width: 1280, height: 900 });
  const items = await search(page, out, "säkerhet");
  const n = await items.count();
  assert.ok(n >= 10, `${n}`);
  assert.match(await items.first().locator("a mark").first().innerText(), /säkerhet/i);
  const shown = await items.evaluateAll((lis) => lis.map((li) => {
    const p = li.querySelector(".search-excerpt");
    const marks = (el) => (el ? Array.from(el.querySelectorAll("mark")).map((m) => m.textContent) : []);
    return { title: marks(li.querySelector("a")), text: p ? p.textContent : "", marks: marks(p) };
  }));
  // Each result marks what it was found by: in its title, or else in its
  // excerpt, which then holds the match.
  for (const r of shown) {
    assert.ok(r.title.length + r.marks.length > 0, JSON.stringify(r));
    assert.ok([...r.title, ...r.marks].every((m) => /säkerhet/i.test(m)), JSON.stringify(r));
  }
  const excerpts = shown.filter((r) => r.marks.length > 0);
  assert.ok(excerpts.length >= 10, `${excerpts.length}`);
  // Some excerpts start inside their section, where the match is.
  assert.ok(excerpts.some((e) => e.text.startsWith("… ")), JSON.stringify(excerpts.slice(0, 3)));
  // Marks are elements the page made: no markup from the index.
  assert.equal(await page.locator("#search-results script, #search-results img").count(), 0);
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, "search-1280x900.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(shots, "search-390x844.png") });
  // Twenty at a time: the button shows the next ones.
  assert.equal(n, 20);
  await page.click("#search-more");
  await page.waitForFunction(() => document.querySelectorAll("#search-results > li").length > 20);
  assert.equal(await items.count(), 40);
  assert.match(await page.locator("#search-status").innerText(), /Visar 40 av \d+/);
  assert.deepEqual(page.errors, []);
});

test("the type and the owner filters narrow the results", async () => {
  const page = await open();
  // The number of results, from the status line (a page shows 20).
  const total = async () => Number((await page.locator("#search-status").innerText()).match(/^(\d+) träffar/)[1]);
  await search(page, out, "säkerhet");
  const all = await total();
  const metas = (p) => p.locator("#search-results .search-meta").allInnerTexts();
  await page.locator("select[data-filter=typ]").selectOption("Systemsäkerhetsplan");
  await settled(page);
  const plans = await metas(page);
  assert.ok(plans.length > 0 && (await total()) < all, `${await total()} of ${all}`);
  assert.ok(plans.every((m) => m.startsWith("Systemsäkerhetsplan")), plans.join("\n"));
  assert.equal(new URL(page.url()).searchParams.get("f-typ"), "Systemsäkerhetsplan");
  await page.locator("select[data-filter=typ]").selectOption("");
  await page.locator("select[data-filter=dokumentägare]").selectOption("VA-chef");
  await settled(page);
  const va = await metas(page);
  assert.ok(va.length > 0 && (await total()) < all, `${await total()} of ${all}`);
  assert.ok(va.every((m) => m.endsWith("VA-chef")), va.join("\n"));
  // The filter alone lists its documents.
  await page.goto(url(out, "", "&f-dokumentägare=Arkivarie"));
  await settled(page);
  assert.deepEqual(await page.locator("#search-results > li > a").allInnerTexts(), ["Rutin för kopiering av handlingar"]);
  assert.deepEqual(page.errors, []);
});

test("the header box and the search box keep the query, from file://", async () => {
  const page = await open();
  await page.goto(pathToFileURL(join(out, "instruktioner", "drift.html")).href);
  await page.fill("#site-search-q", "lösenord MFA");
  await page.press("#site-search-q", "Enter");
  await page.waitForURL(/sok\.html\?q=/);
  await settled(page);
  assert.ok(page.url().startsWith("file://"));
  assert.equal(await page.inputValue("#search-input"), "lösenord MFA");
  assert.equal(await page.inputValue("#site-search-q"), "lösenord MFA");
  assert.ok((await page.locator("#search-results > li").count()) > 0);
  await page.fill("#search-input", "epost");
  await page.click("#search-form button[type=submit]");
  await settled(page);
  assert.match(page.url(), /[?&]q=epost/);
  assert.equal(await page.inputValue("#site-search-q"), "epost");
  // Everything came from the file system, the index as scripts.
  assert.ok(page.requested.every((r) => r.startsWith("file://")), page.requested.join("\n"));
  assert.ok(page.requested.some((r) => /assets\/search\/t-[0-9a-f]{16}\.js$/.test(r)));
  assert.deepEqual(page.errors, []);
});

test("the browser's Swedish stemmer gives rust-stemmers' stems", async () => {
  const pairs = readFileSync(join(repo, "tests", "fixtures", "search", "stems-sv.tsv"), "utf8")
    .trim().split("\n").map((l) => l.split("\t"));
  const page = await open();
  await page.goto(url(out, ""));
  const wrong = await page.evaluate((ps) => ps.filter(([w, s]) => window.STYRDOK_STEM(w) !== s)
    .map(([w, s]) => `${w}: ${window.STYRDOK_STEM(w)} != ${s}`), pairs);
  assert.ok(pairs.length > 1000);
  assert.deepEqual(wrong, []);
});

test("axe-core finds no WCAG 2.1 A/AA violations on the search page with results", async () => {
  const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const problems = [];
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    const page = await open(viewport);
    await search(page, out, "säkerhet");
    await page.addScriptTag({ content: axe });
    const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    for (const v of result.violations) problems.push(`${viewport.width}: ${v.id} ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  }
  assert.deepEqual(problems, []);
});

// A site of 2,000 generated documents, with words of the example site.
function generated(n) {
  const root = exampleSite();
  addGenerated(root, n);
  execFileSync(binary, ["build", "--root", root, "--today", today], { stdio: "ignore" });
  return join(root, "output");
}

function sizes(dir) {
  const files = {};
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p); else files[pathToFileURL(p).href] = statSync(p).size;
    }
  };
  walk(dir);
  return files;
}

test("on a site of 2,000 documents a query loads only some of the index", async () => {
  const big = generated(2000);
  const index = sizes(join(big, "assets", "search"));
  const chunks = Object.keys(index).filter((f) => /\/t-[0-9a-f]+\.js$/.test(f));
  const total = Object.values(index).reduce((a, b) => a + b, 0);
  for (const q of ["säkerhetskopiering", "kopiering", "lösenord MFA"]) {
    const page = await open();
    const results = await search(page, big, q);
    assert.ok((await results.count()) > 0, q);
    const asked = page.requested.filter((r) => r in index);
    const loadedChunks = asked.filter((r) => chunks.includes(r));
    assert.ok(loadedChunks.length > 0 && loadedChunks.length < chunks.length / 4, `${q}: ${loadedChunks.length} of ${chunks.length} chunks`);
    const bytes = asked.reduce((a, r) => a + index[r], 0);
    assert.ok(bytes < total / 4, `${q}: ${bytes} of ${total} bytes`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
