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
import { exampleSite, binary, today, browser, repo, widths, overflow } from "./lib.mjs";

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

test("every page type at 1280 and 390 px: no sideways scroll, no table cut off, no axe-core WCAG 2.1 A/AA violations", async () => {
  const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  // Kept for people to look at (CI artifacts): target/screenshots/pages/<page>-<width>.png.
  const shots = join(repo, "target", "screenshots", "pages");
  mkdirSync(shots, { recursive: true });
  const chrome = await browser();
  const problems = [];
  try {
    for (const [width, height] of widths) {
      const context = await chrome.newContext({ viewport: { width, height } });
      for (const p of pageTypes) {
        const page = await context.newPage();
        const errors = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(fileUrl(p));
        await page.waitForLoadState("load");
        await page.screenshot({ path: join(shots, `${p.replace(/[/?=]/g, "_")}-${width}.png`), fullPage: true });
        for (const o of await page.evaluate(overflow)) problems.push(`${p} at ${width}: ${o}`);
        for (const e of errors) problems.push(`${p} at ${width}: script error ${e}`);
        await page.addScriptTag({ content: axe });
        const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
        for (const v of result.violations) {
          problems.push(`${p} at ${width}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        }
        await page.close();
      }
      await context.close();
    }
  } finally {
    await chrome.close();
  }
  assert.deepEqual(problems, []);
});

test("a wide screen has three columns that stay in view; a phone has a compact header and the navigation behind a button", async () => {
  const chrome = await browser();
  try {
    const wide = await (await chrome.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await wide.goto(fileUrl("planer/lonesystem.html"));
    const nav = wide.locator(".doc-nav");
    const aside = wide.locator(".toc-aside");
    const main = wide.locator("main");
    assert.ok(await aside.isVisible(), "the on-page contents beside the text");
    assert.equal(await wide.locator(".toc-inline").isVisible(), false, "not a second time above the text");
    const [n, m, a] = [await nav.boundingBox(), await main.boundingBox(), await aside.boundingBox()];
    assert.ok(n.x + n.width <= m.x && m.x + m.width <= a.x, `columns in order: ${JSON.stringify([n, m, a])}`);
    // Prose keeps its measure; a table may be wider than the prose.
    const prose = await wide.locator(".doc-body > p").first().boundingBox();
    assert.ok(prose.width <= 46 * 16 + 1, `prose ${prose.width}px`);
    // Long page: scrolled to its end, both side columns are still on screen.
    await wide.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    for (const side of [nav, aside]) {
      const box = await side.boundingBox();
      assert.ok(box.y < 900 && box.y + box.height > 0, `still in view after scrolling: ${JSON.stringify(box)}`);
    }
    // Reading marks the section in the contents.
    await wide.locator('[id="driftgodkännande"]').scrollIntoViewIfNeeded();
    await wide.waitForFunction(() => document.querySelector(".toc-aside a[aria-current]"));
    // The annual goals' six columns: wider than the text column, they take
    // the contents' column too and fit without scrolling.
    await wide.goto(fileUrl("arsmal/2026.html"));
    const goals = wide.locator(".goals .table-scroll");
    const fit = await goals.evaluate((r) => ({ table: r.querySelector("table").offsetWidth, region: r.clientWidth, text: document.querySelector(".doc-body > p").offsetWidth }));
    assert.ok(fit.table <= fit.region, `the goals table fits: ${JSON.stringify(fit)}`);
    assert.ok(fit.region > fit.text, `and is wider than the prose: ${JSON.stringify(fit)}`);
    // The register's seven columns fit too: its page gives the table the
    // documents' column.
    await wide.goto(fileUrl("systemregister.html"));
    const register = await wide.locator(".table-scroll").first().evaluate((r) => ({ table: r.querySelector("table").offsetWidth, region: r.clientWidth }));
    assert.ok(register.table <= register.region, `the register fits: ${JSON.stringify(register)}`);
    await wide.goto(fileUrl("planer/lonesystem.html"));
    // Breadcrumbs to the plan through the document that governs it; when it last changed and by whom.
    assert.deepEqual(await wide.locator(".breadcrumbs li").allInnerTexts(), ["Start", "IT-säkerhetspolicy", "Systemsäkerhetsplan Lönesystem"]);
    assert.match(await wide.locator(".page-changed").innerText(), /^Senast ändrad \d{4}-\d{2}-\d{2} av Åsa Öberg\.$/);
    // A heading's link is there and keeps the heading's own id.
    const headingLink = wide.locator('h2[id="driftgodkännande"] a[href="#driftgodkännande"], h2[id="driftgodkännande"] a[href="#driftgodk%C3%A4nnande"]');
    assert.equal(await headingLink.count(), 1, "a copyable link on the heading");

    const phone = await (await chrome.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await phone.goto(fileUrl("planer/lonesystem.html"));
    const header = await phone.locator(".site-header").boundingBox();
    assert.ok(header.height <= 70, `header ${header.height}px of 844`);
    const button = phone.locator(".menu-toggle");
    assert.equal(await phone.locator(".site-nav").isVisible(), false);
    assert.equal(await phone.locator(".doc-nav").isVisible(), false);
    await button.click();
    assert.equal(await button.getAttribute("aria-expanded"), "true");
    assert.ok(await phone.locator(".site-nav").isVisible());
    assert.ok(await phone.locator(".doc-nav a[aria-current='page']").isVisible(), "the documents' navigation opens with the page marked");
    await phone.locator(".site-nav a", { hasText: "Systemregister" }).click();
    await phone.waitForURL(/systemregister\.html$/);
  } finally {
    await chrome.close();
  }
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

test("the version switcher opens the same document in the chosen version, loading only that page's list", async () => {
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext()).newPage();
    const loaded = [];
    page.on("request", (r) => loaded.push(r.url()));
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(fileUrl("instruktioner/drift.html"));
    const select = page.locator(".version-switcher select");
    assert.deepEqual(await select.locator("option").allInnerTexts(), ["Aktuell version", "v1.0"]);
    assert.equal(loaded.filter((u) => u.includes("/assets/versions/")).length, 0, "no page list before a version is chosen");
    await select.selectOption("v1.0");
    await page.waitForURL(/versioner\/v1\.0\/instruktioner\/drift\.html$/);
    assert.equal(loaded.filter((u) => /\/assets\/versions\/\d+\.js$/.test(u)).length, 1, "one page list");
    assert.equal(await page.locator(".version-switcher select").inputValue(), "v1.0");
    await page.locator(".version-switcher select").selectOption("");
    await page.waitForURL(/output\/instruktioner\/drift\.html$/);
    // A page no version lists opens the version's start page.
    await page.goto(fileUrl("hierarki.html"));
    await page.locator(".version-switcher select").selectOption("v1.0");
    await page.waitForURL(/versioner\/v1\.0\/index\.html$/);
    assert.deepEqual(errors, []);
  } finally {
    await chrome.close();
  }
});

test("the Lönesystem plan prints in at most 5 pages, numbered, with a running header on every page", async () => {
  const chrome = await browser();
  const file = join(repo, "target", "screenshots", "lonesystem-print.pdf");
  try {
    const page = await (await chrome.newContext()).newPage();
    await page.goto(fileUrl("planer/lonesystem.html"));
    await page.emulateMedia({ media: "print" });
    await page.pdf({ path: file, format: "A4", preferCSSPageSize: true });
  } finally {
    await chrome.close();
  }
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))[1]);
  assert.ok(pages >= 2 && pages <= 5, `${pages} pages`);
  // pdftotext separates pages with a form feed.
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).split("\f").filter((t) => t.trim());
  assert.equal(text.length, pages);
  text.forEach((t, n) => {
    assert.match(t, /Systemsäkerhetsplan Lönesystem · Version 1\.1 · Fastställd/, `running header on page ${n + 1}`);
    assert.match(t, new RegExp(`Sida ${n + 1} av ${pages}`), `page number on page ${n + 1}`);
  });
  assert.match(text[0], /Dokumentägare[\s\S]*Personalchef/, "the document-control block on page one");
  // No page a third empty or more because a table or figure would not
  // break, but the last: each page but the last has text on its last
  // third (the running footer aside).
  const filled = execFileSync("pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
  const pagesXml = filled.split("<page ").slice(1);
  pagesXml.slice(0, -1).forEach((xml, n) => {
    const height = Number(/height="([\d.]+)"/.exec(xml)[1]);
    const words = [...xml.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</g)]
      .filter((w) => !/^(Sida|\d+|av)$/.test(w[3]))
      .map((w) => Number(w[2]));
    const lowest = Math.max(...words);
    assert.ok(lowest > height * 0.62, `page ${n + 1} ends its text at ${Math.round((lowest / height) * 100)} % of its height`);
  });
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
