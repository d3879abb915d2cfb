// Measures what a first search loads (not a test): opens
// OUTPUT/sok.html?q=QUERY from file:// in Chromium, once per query, and
// prints the files the page requested with their sizes on disk.
//
//   node search-bytes.mjs OUTPUT QUERY...
import { statSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { browser } from "./lib.mjs";

const [out, ...queries] = process.argv.slice(2);
const dir = join(out, "assets", "search");
let total = 0, chunks = 0, largest = 0, files = 0;
const walk = (d) => {
  for (const e of readdirSync(d)) {
    const p = join(d, e);
    const s = statSync(p);
    if (s.isDirectory()) walk(p);
    else {
      files++;
      total += s.size;
      if (e.startsWith("t-")) { chunks++; largest = Math.max(largest, s.size); }
    }
  }
};
walk(dir);
console.log(`index: ${files} files, ${total} bytes; ${chunks} term chunks, the largest ${largest} bytes; index.js ${statSync(join(dir, "index.js")).size} bytes`);
const chrome = await browser();
for (const q of queries) {
  const page = await (await chrome.newContext()).newPage();
  const requested = [];
  page.on("request", (r) => requested.push(r.url()));
  await page.goto(pathToFileURL(join(out, "sok.html")).href + "?q=" + encodeURIComponent(q));
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status").textContent;
    return s !== "" && !/Söker|Searching/.test(s);
  }, null, { timeout: 120000 });
  const status = await page.locator("#search-status").innerText();
  const sizes = requested.filter((r) => r.startsWith("file:")).map((r) => [r, statSync(fileURLToPath(r.split("?")[0])).size]);
  const scripts = sizes.filter(([r]) => r.endsWith(".js"));
  const sum = (xs) => xs.reduce((a, [, s]) => a + s, 0);
  const t = scripts.filter(([r]) => /\/t-[0-9a-f]+\.js$/.test(r));
  const d = scripts.filter(([r]) => /\/d\/\d+\.js$/.test(r));
  console.log(`"${q}": ${status}`);
  if (process.env.LIST) for (const [r, s] of sizes) console.log(`    ${s}\t${r.replace(pathToFileURL(out).href, "")}`);
  console.log(`  all files ${sum(sizes)} bytes (${sizes.length}); scripts ${sum(scripts)} bytes; term chunks ${t.length} = ${sum(t)} bytes; fragments ${d.length} = ${sum(d)} bytes`);
  await page.context().close();
}
await chrome.close();
