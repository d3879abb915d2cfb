// The organisation's own fields and types in a real browser: the example
// site with a diarienummer (page, print and search filter), a decision
// paragraph only in print, and a `riktlinje` type with required sections.
// The search filter narrows results; printing shows the print-only field;
// axe-core finds no violations on the pages involved.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { exampleSite, binary, today, browser, repo } from "./lib.mjs";

const require = createRequire(import.meta.url);
const shots = join(repo, "target", "screenshots");
let site;
let out;

function edit(rel, from, to) {
  const file = join(site, rel);
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes(from), `${from} in ${rel}`);
  writeFileSync(file, text.replace(from, to));
}

const GUIDELINE = `---
titel: Riktlinje för lösenord och inloggning
typ: riktlinje
id: riktlinje-losenord
status: fastställd
version: "1.0"
diarienummer: KS 2026/301
beslutsparagraf: KS § 88
dokumentägare: IT-säkerhetssamordnare
fastställd: 2026-05-04
fastställd_av: Kommunstyrelsen
nästa_revision: 2027-05-31
överordnad: it-säkerhetspolicy
---

## Syfte

Riktlinjen anger hur medarbetare loggar in i kommunens IT-system och hur lösenord ska vara utformade.

## Ansvar

Varje medarbetare ansvarar för sina inloggningsuppgifter. IT-enheten ansvarar för att systemen kräver flerfaktorsautentisering där riktlinjen säger det.
`;

before(() => {
  site = exampleSite();
  out = join(site, "output");
  appendFileSync(join(site, "styrdok.toml"), `
[types.riktlinje]
label = { sv = "Riktlinje", en = "Guideline" }
plural = { sv = "Riktlinjer", en = "Guidelines" }
parents = ["policy"]
sections = ["Syfte", "Ansvar"]

[fields.diarienummer]
type = "text"
label = { sv = "Diarienummer", en = "Registration number" }
show = ["page", "print", "search"]

[fields.beslutsparagraf]
type = "text"
label = "Beslutsparagraf"
show = ["print"]
`);
  mkdirSync(join(site, "content", "riktlinjer"), { recursive: true });
  writeFileSync(join(site, "content", "riktlinjer", "losenord.md"), GUIDELINE);
  edit("content/instruktioner/drift.md", "\ndokumentägare:", "\ndiarienummer: KS 2026/118\ndokumentägare:");
  execFileSync(binary, ["build", "--root", site, "--today", today], { stdio: "ignore" });
});

const url = (p) => pathToFileURL(join(out, p)).href;

test("a search filter narrows the results to the documents with that value", async () => {
  mkdirSync(shots, { recursive: true });
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(url("sok.html") + "?q=ska");
    // The index loads in chunks: wait for the results, then for the filter's.
    await page.waitForFunction(() => document.querySelectorAll("#search-results > li").length > 2);
    const all = await page.locator("#search-results > li").count();
    await page.locator("select[data-filter=diarienummer]").selectOption("KS 2026/301");
    await page.waitForFunction((n) => {
      const items = document.querySelectorAll("#search-results > li");
      return items.length > 0 && items.length < n;
    }, all);
    const docs = await page.locator("#search-results .search-meta").allInnerTexts();
    assert.ok(docs.length > 0 && docs.length < all, `${docs.length} of ${all}`);
    assert.ok(docs.every((m) => m.includes("Riktlinje för lösenord och inloggning")), docs.join("\n"));
    assert.match(page.url(), /f-diarienummer=KS\+2026%2F301/);
    // A filter alone lists each document that has the value.
    await page.locator("#search-input").fill("");
    await page.locator("#search-form button").click();
    await page.waitForFunction(() => document.querySelectorAll("#search-results > li").length === 1);
    assert.deepEqual(await page.locator("#search-results > li > a").allInnerTexts(), ["Riktlinje för lösenord och inloggning"]);
    await page.screenshot({ path: join(shots, "search-filter.png"), fullPage: true });
  } finally {
    await chrome.close();
  }
});

test("the print-only field is printed and the page shows the type's label", async () => {
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext()).newPage();
    await page.goto(url("riktlinjer/losenord.html"));
    assert.match(await page.locator(".doc-kicker").textContent(), /^Riktlinje$/);
    assert.equal(await page.locator(".field-beslutsparagraf").isVisible(), false, "not on screen");
    assert.equal(await page.locator(".field-diarienummer").isVisible(), true);
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator(".field-beslutsparagraf").isVisible(), true, "in print");
    assert.match(await page.locator(".doc-control").innerText(), /KS § 88/);
  } finally {
    await chrome.close();
  }
});

test("axe-core finds no violations on the search page with filters and a page of an own type", async () => {
  const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const chrome = await browser();
  const problems = [];
  try {
    const context = await chrome.newContext();
    for (const p of ["sok.html", "riktlinjer/losenord.html", "index.html", "hierarki.html"]) {
      const page = await context.newPage();
      await page.goto(url(p));
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      for (const v of result.violations) problems.push(`${p}: ${v.id} ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      await page.close();
    }
  } finally {
    await chrome.close();
  }
  assert.deepEqual(problems, []);
});
