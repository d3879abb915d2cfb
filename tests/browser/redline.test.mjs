// Redlines in a real browser: the example site with a few revisions of the
// Drift instruction (a sentence added, a table cell changed, a paragraph
// moved), its history page and one opened redline screenshotted into
// target/screenshots/ (kept for people to look at), and no redline shows
// more than its changed blocks with their context; the rest is folded.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { exampleSite, binary, today, browser, repo } from "./lib.mjs";

let site;
let out;
const shots = join(repo, "target", "screenshots");

function git(args, date) {
  execFileSync("git", args, {
    cwd: site,
    env: { ...process.env, GIT_AUTHOR_NAME: "Åsa Öberg", GIT_AUTHOR_EMAIL: "asa@example.se", GIT_COMMITTER_NAME: "Åsa Öberg",
      GIT_COMMITTER_EMAIL: "asa@example.se", GIT_CONFIG_NOSYSTEM: "1", HOME: site,
      GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    stdio: "ignore",
  });
}

function edit(file, from, to) {
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes(from), `${from} in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

before(() => {
  site = exampleSite();
  out = join(site, "output");
  const drift = join(site, "content", "instruktioner", "drift.md");
  git(["init", "-q", "-b", "main"], "2026-01-10T10:00:00+01:00");
  git(["add", "-A"], "2026-01-10T10:00:00+01:00");
  git(["commit", "-q", "-m", "Första versionen"], "2026-01-10T10:00:00+01:00");
  git(["tag", "v1.0"], "2026-01-10T10:00:00+01:00");
  edit(drift, "## Bemanning\n", "## Bemanning\n\nJourlistan publiceras varje fredag.\n");
  git(["commit", "-q", "-am", "Jourlistan"], "2026-02-10T10:00:00+01:00");
  edit(drift, "inställelsetid högst en timme", "inställelsetid högst 45 minuter");
  git(["commit", "-q", "-am", "Kortare inställelsetid"], "2026-03-10T10:00:00+01:00");
  git(["tag", "v1.1"], "2026-03-10T10:00:00+01:00");
  const moved = "Rack med utrustning för styrsystemen och vård- och omsorgsnätet ska vara låsta även inne i serverhallen.\n\n";
  edit(drift, moved, "");
  edit(drift, "### Brandskydd\n\n", "### Brandskydd\n\n" + moved);
  git(["commit", "-q", "-am", "Racken under brandskydd"], "2026-04-10T10:00:00+02:00");
  execFileSync(binary, ["build", "--root", site, "--today", today], { stdio: "ignore" });
});

const url = () => pathToFileURL(join(out, "historik", "instruktioner", "drift.html")).href;

// Blocks a reader sees in an element: headings, paragraphs, list items and
// table rows that are rendered (not inside a closed fold).
const visibleBlocks = (el) =>
  [...el.querySelectorAll("h1, h2, h3, h4, h5, h6, p, li, tr")].filter((b) => b.checkVisibility() && b.getClientRects().length > 0).length;

test("the history page lists revisions compactly and each redline shows only its changes", async () => {
  mkdirSync(shots, { recursive: true });
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(url());
    await page.waitForLoadState("load");
    const revisions = page.locator(".revision-list:not(.compare-list) > li > details.revision");
    assert.equal(await revisions.count(), 4);
    // Only the newest is open.
    assert.equal(await page.locator("details.revision[open]").count(), 1);
    const summaries = await page.locator(".revision-list:not(.compare-list) .rev-changes").allInnerTexts();
    assert.match(summaries[0], /^Ändrat i .*Brandskydd · 1 stycke flyttat$/);
    assert.match(summaries[1], /Ändrat i Bemanning · 2 ord tillagda, 2 ord borttagna/);
    assert.match(summaries[3], /^Skapad, \d+ ord/);
    await page.screenshot({ path: join(shots, "redline-history.png"), fullPage: true });

    // The document, all of it, in blocks: the first revision shows it whole.
    await revisions.nth(3).evaluate((d) => { d.open = true; });
    const whole = await revisions.nth(3).locator(".redline").evaluate(visibleBlocks);
    assert.ok(whole > 60, `the whole document: ${whole} blocks`);

    // Every other redline: its changed blocks, one block of context on each
    // side, the heading of the section (and a table's header row); the rest
    // of the document folded.
    for (let k = 0; k < 3; k++) {
      await revisions.nth(k).evaluate((d) => { d.open = true; });
      const redline = revisions.nth(k).locator(".redline");
      const changed = await redline.locator(".rl-ins, .rl-del, .rl-changed, .rl-moved, .rl-moved-away").count();
      const shown = await redline.evaluate(visibleBlocks);
      assert.ok(changed > 0, `revision ${k} has changes`);
      assert.ok(shown <= changed * 5, `revision ${k}: ${shown} blocks shown for ${changed} changed`);
      assert.ok(shown < whole / 4, `revision ${k}: ${shown} of ${whole} blocks shown`);
      assert.ok(await redline.locator("details.rl-fold:not([open])").count() > 0, "the rest is folded");
    }
    // The cell change, marked in its table with the header row.
    const cell = revisions.nth(1).locator("td.rl-cell");
    assert.match(await cell.innerText(), /högst/);
    const headers = await revisions.nth(1).evaluate((d) => [...d.querySelectorAll("tr:has(th)")].filter((r) => r.checkVisibility()).length);
    assert.equal(headers, 1, "the changed table's header row is shown");
    // Words are underlined and struck through, not told by colour alone.
    const decoration = (sel) => revisions.nth(1).locator(sel).first().evaluate((e) => getComputedStyle(e).textDecorationLine);
    assert.match(await decoration("ins"), /underline/);
    assert.match(await decoration("del"), /line-through/);

    // Opening a fold shows what it hides, without JavaScript's help.
    const fold = revisions.nth(1).locator("details.rl-fold").first();
    const before = await revisions.nth(1).locator(".redline").evaluate(visibleBlocks);
    await fold.locator("summary").click();
    assert.ok((await revisions.nth(1).locator(".redline").evaluate(visibleBlocks)) > before);
    await fold.locator("summary").click();

    // One redline on its own, for people to look at.
    for (let k = 0; k < 4; k++) if (k !== 1) await revisions.nth(k).evaluate((d) => { d.open = false; });
    await revisions.nth(1).scrollIntoViewIfNeeded();
    await revisions.nth(1).screenshot({ path: join(shots, "redline-open.png") });

    // Printed: the open redline and the legend, closed ones left out.
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator(".redline-legend").isVisible(), true);
    assert.equal(await revisions.nth(0).isVisible(), false);
    assert.equal(await revisions.nth(1).isVisible(), true);
    const pdf = await page.pdf({ format: "A4" });
    assert.ok(pdf.length > 5000);
  } finally {
    await chrome.close();
  }
});

test("two versions are compared from the form", async () => {
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext()).newPage();
    await page.goto(url());
    await page.waitForLoadState("load");
    const form = page.locator(".compare-form");
    assert.equal(await form.isVisible(), true, "the form shows with JavaScript");
    await form.locator("button").click();
    const opened = page.locator(".compare-list details[open]");
    assert.equal(await opened.count(), 1);
    assert.match(page.url(), /#jamfor-/);
    assert.ok((await opened.locator(".redline").evaluate(visibleBlocks)) > 0);
  } finally {
    await chrome.close();
  }
});

test("any two revisions are compared in the browser, as the build would", async () => {
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url());
    await page.waitForLoadState("load");
    const options = await page.locator("select[name=fran] optgroup:last-child option").evaluateAll((os) =>
      os.map((o) => ({ value: o.value, label: o.textContent })));
    // The four revisions, each with date, message and version (the
    // current text only as the end of a comparison).
    assert.equal(options.length, 4);
    const rev = (message) => options.find((o) => o.label.includes(message)).value;
    const first = rev("Första versionen"), jour = rev("Jourlistan"), kort = rev("Kortare inställelsetid");
    assert.match(options.find((o) => o.value === first).label, /^2026-01-10 · Första versionen · Version /);

    // Two revisions apart: computed here.
    await page.locator("select[name=fran]").selectOption({ value: first, label: options.find((o) => o.value === first).label });
    await page.locator("select[name=till]").selectOption({ value: kort, label: options.find((o) => o.value === kort).label });
    await page.locator(".compare-form button").click();
    const computed = page.locator(".compare-computed > details.revision[open]");
    await computed.waitFor();
    const ins = await computed.locator(".redline ins").allInnerTexts();
    const del = await computed.locator(".redline del").allInnerTexts();
    assert.ok(ins.some((t) => t.includes("Jourlistan publiceras varje fredag.")), `inserted: ${ins}`);
    assert.ok(ins.includes("45") && ins.includes("minuter"), `inserted: ${ins}`);
    assert.ok(del.includes("en") && del.includes("timme"), `deleted: ${del}`);
    assert.ok(await computed.locator(".redline details.rl-fold:not([open])").count() > 1, "unchanged runs folded");
    assert.match(await computed.locator(".rev-changes").innerText(), /Ändrat i Bemanning.* · 6 ord tillagda, 2 ord borttagna/);

    // One revision against the one before it: the same as the build's.
    const norm = (s) => s.replace(/\s+/g, " ").trim();
    const built = page.locator(`#rev-${kort} .redline`);
    await page.locator(`#rev-${kort}`).evaluate((d) => { d.open = true; });
    const expected = norm(await built.innerText());
    const expectedHtml = await built.evaluate((e) => e.innerHTML.replace(/\s+/g, ""));
    // Hide the pre-rendered redline from the form so that it computes one.
    await page.locator(`#rev-${kort}`).evaluate((d) => d.removeAttribute("id"));
    await page.locator("select[name=fran]").selectOption({ value: jour, label: options.find((o) => o.value === jour).label });
    await page.locator(".compare-form button").click();
    await page.locator(`.compare-computed > details[data-from="${jour}"]`).waitFor();
    assert.equal(norm(await computed.locator(".redline").innerText()), expected);
    assert.equal(await computed.locator(".redline").evaluate((e) => e.innerHTML.replace(/\s+/g, "")), expectedHtml);
    assert.deepEqual(errors, []);
  } finally {
    await chrome.close();
  }
});

test("a change log's link opens the comparison of the two versions in the history", async () => {
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(out, "versioner", "v1.1", "andringar.html")).href);
    // Drift changed twice between v1.0 and v1.1: a comparison the history
    // page does not have built, so it computes it from the link.
    await page.locator("#andring-drift a", { hasText: "jämför i dokumentets historik" }).click();
    await page.waitForURL(/historik\/instruktioner\/drift\.html#jamfor-[0-9a-f]{8}-[0-9a-f]{8}$/);
    const computed = page.locator(".compare-computed > details.revision[open]");
    await computed.waitFor();
    const ins = await computed.locator(".redline ins").allInnerTexts();
    assert.ok(ins.some((t) => t.includes("Jourlistan publiceras varje fredag.")), `inserted: ${ins}`);
    assert.ok(ins.includes("45"), `inserted: ${ins}`);
    assert.equal(await page.locator(".compare-none").isVisible(), false);
    const [from, to] = new URL(page.url()).hash.split("-").slice(1);
    assert.equal(await page.locator("select[name=fran]").inputValue(), from, "the form shows the pair");
    assert.equal(await page.locator("select[name=till]").inputValue(), to);
    await computed.screenshot({ path: join(shots, "redline-versions.png") });
    assert.deepEqual(errors, []);
  } finally {
    await chrome.close();
  }
});
