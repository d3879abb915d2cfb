// The hierarchy figure in a real browser: on the example site and on a
// generated site with 50 plans, at 1280×900 and 390×844, no horizontal page
// scroll, no visible text in the figure below 12 CSS px (SVG text measured
// at its drawn size), the figure or its list visible and linking every
// document, and axe-core clean. Screenshots: target/screenshots/hierarchy-*.png.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, appendFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { exampleSite, binary, today, browser, repo } from "./lib.mjs";

const require = createRequire(import.meta.url);
const sizes = [
  { name: "1280", width: 1280, height: 900 },
  { name: "390", width: 390, height: 844 },
  // Beside the navigation the figure has about 470 px here: the list.
  { name: "900", width: 900, height: 900 },
];
// The start page and the policy, whose text places the figure.
const pages = ["index.html", "it-sakerhetspolicy.html"];
const sites = {};

/** The example site with 50 more plans under the policy, every seventh a draft. */
function fiftyPlans() {
  const dir = exampleSite();
  const config = join(dir, "styrdok.toml");
  writeFileSync(config, readFileSync(config, "utf8").replace("[publish]\n", "[publish]\ndrafts = true\n"));
  const model = readFileSync(join(dir, "content", "planer", "lonesystem.md"), "utf8");
  for (let n = 1; n <= 50; n++) {
    const text = model
      .replace("titel: Systemsäkerhetsplan Lönesystem", `titel: Systemsäkerhetsplan Testsystem ${n}`)
      .replace("id: plan-lonesystem", `id: plan-test-${n}`)
      .replace("system: lonesystem", `system: test-${n}`)
      .replace("status: fastställd", n % 7 === 0 ? "status: utkast" : "status: fastställd");
    writeFileSync(join(dir, "content", "planer", `test-${n}.md`), text);
    appendFileSync(join(dir, "content", "systemregister.yaml"),
      `\n- id: test-${n}\n  namn: Testsystem ${n}\n  systemägare: Ekonomichef\n  samhällsviktigt: true\n  klassning: intern\n  leverantör: Test AB\n`);
  }
  return dir;
}

before(() => {
  sites.example = exampleSite();
  sites.fifty = fiftyPlans();
  for (const dir of Object.values(sites)) {
    execFileSync(binary, ["build", "--root", dir, "--today", today], { stdio: "ignore" });
  }
});

/** The documents of a site: its Markdown files but the folder pages (README.md). */
function documentCount(dir) {
  return readdirSync(join(dir, "content"), { recursive: true })
    .filter((f) => f.endsWith(".md") && !f.endsWith("README.md")).length;
}

/** What the figure on the open page shows: sizes of visible text, links. */
async function inspect(page) {
  return page.evaluate(() => {
    const fig = document.querySelector("figure.hierarchy");
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
    };
    const small = [];
    let texts = 0;
    // SVG text: its font size in user units times the drawing's scale.
    for (const svg of fig.querySelectorAll("svg.hierarchy-svg")) {
      if (!visible(svg)) continue;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      for (const t of svg.querySelectorAll("text")) {
        texts++;
        const px = parseFloat(getComputedStyle(t).fontSize) * scale;
        if (px < 12) small.push(`${t.textContent}: ${px.toFixed(1)}px`);
      }
    }
    // HTML text: every element with its own text that is shown.
    for (const el of fig.querySelectorAll("li, a, span, figcaption")) {
      if (el.closest("svg") || !visible(el)) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      texts++;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < 12) small.push(`${el.textContent.slice(0, 40)}: ${px}px`);
    }
    const links = new Set([...fig.querySelectorAll("a[href]")].filter((a) => visible(a.closest("svg") || a)).map((a) => a.getAttribute("href")));
    return {
      texts,
      small,
      links: [...links],
      drawing: visible(fig.querySelector(".hierarchy-drawing") || fig),
      list: !!fig.querySelector(".hierarchy-list") && visible(fig.querySelector(".hierarchy-list")),
      scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      figureHeight: Math.round(fig.getBoundingClientRect().height),
    };
  });
}

for (const [name, dirOf] of [["example", () => sites.example], ["fifty", () => sites.fifty]]) {
  test(`the figure on the start page and in the policy is legible, linked and axe-clean (${name} site)`, async () => {
    const dir = dirOf();
    const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    const shots = join(repo, "target", "screenshots");
    mkdirSync(shots, { recursive: true });
    const expected = documentCount(dir);
    const chrome = await browser();
    try {
      for (const size of sizes) {
        const context = await chrome.newContext({ viewport: { width: size.width, height: size.height } });
        for (const p of pages) {
          const page = await context.newPage();
          await page.goto(pathToFileURL(join(dir, "output", p)).href);
          await page.waitForLoadState("load");
          const seen = await inspect(page);
          if (p === "index.html") {
            await page.locator("figure.hierarchy").screenshot({ path: join(shots, `hierarchy-${name}-${size.name}.png`) });
          }
          const at = `${p} of ${name} at ${size.name}`;
          assert.equal(seen.scroll, 0, `no horizontal scroll, ${at}`);
          assert.ok(seen.texts > expected, `the figure shows text, ${at}: ${seen.texts}`);
          assert.deepEqual(seen.small, [], `text below 12 px, ${at}`);
          assert.equal(seen.links.length, expected, `a link to every document, ${at}: ${seen.links.join(" ")}`);
          // Wide: the drawing; narrow: the list instead of a shrunk drawing.
          assert.equal(seen.drawing, size.width === 1280, `the drawing shown, ${at}`);
          assert.equal(seen.list, size.width !== 1280, `the list shown, ${at}`);
          if (size.width === 1280) assert.ok(seen.figureHeight < 900, `fits one screen, ${at}: ${seen.figureHeight}px`);
          await page.addScriptTag({ content: axe });
          const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
          assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`), [], at);
          await page.close();
        }
        await context.close();
      }
    } finally {
      await chrome.close();
    }
  });
}

test("the figure's links are reachable by keyboard and show where focus is", async () => {
  const chrome = await browser();
  try {
    const page = await (await chrome.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(pathToFileURL(join(sites.example, "output", "hierarki.html")).href);
    const link = page.locator(".hierarchy-links a").first();
    await link.focus();
    const focused = await page.evaluate(() => document.activeElement.closest(".hierarchy-links") !== null);
    assert.ok(focused, "a link of the figure takes focus");
    const stroke = await link.locator("rect").evaluate((r) => getComputedStyle(r).strokeWidth);
    assert.equal(stroke, "3px", "the focused box is outlined");
  } finally {
    await chrome.close();
  }
});

test("the hierarchy page, whose list is always shown, hides only the drawing when narrow", async () => {
  const chrome = await browser();
  try {
    for (const [width, drawn] of [[1280, true], [390, false]]) {
      const page = await (await chrome.newContext({ viewport: { width, height: 844 } })).newPage();
      await page.goto(pathToFileURL(join(sites.example, "output", "hierarki.html")).href);
      const shown = (sel) => page.locator(sel).first().evaluate((el) => el.getBoundingClientRect().height > 0);
      assert.equal(await shown(".hierarchy-drawing"), drawn, `the drawing at ${width}`);
      assert.equal(await page.locator("figure .hierarchy-list").count(), 0, "no second list in the figure");
      assert.equal(await shown("ul.tree"), true, `the page's list at ${width}`);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
    }
  } finally {
    await chrome.close();
  }
});
