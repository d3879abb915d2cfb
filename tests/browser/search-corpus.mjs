// Generated documents for measuring the search: N documents whose words
// are drawn, by a fixed pseudo-random sequence, from the example site's
// vocabulary (tests/fixtures/search/stems-sv.tsv), three sections each.
// search.test.mjs adds them to a copy of the example site; run alone (not
// a test) it writes such a site to measure by hand:
//
//   node search-corpus.mjs DIR N
import { readFileSync, writeFileSync, mkdirSync, cpSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repo } from "./lib.mjs";

/// Writes N generated documents into `content/gen/` of the site at `dir`.
export function addGenerated(dir, n) {
  const words = readFileSync(join(repo, "tests", "fixtures", "search", "stems-sv.tsv"), "utf8")
    .trim().split("\n").map((l) => l.split("\t")[0]);
  let seed = 7;
  const pick = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return words[seed % words.length]; };
  const sentence = (k) => Array.from({ length: k }, pick).join(" ") + ".";
  mkdirSync(join(dir, "content", "gen"), { recursive: true });
  for (let i = 0; i < n; i++) {
    const sections = [1, 2, 3].map(() => `## ${sentence(3)}\n\n${sentence(40)} ${sentence(30)}\n`).join("\n");
    writeFileSync(join(dir, "content", "gen", `d${i}.md`), `---
titel: Dokument ${i} om ${pick()}
typ: dokument
id: gen-${i}
status: fastställd
version: "1.0"
dokumentägare: Ägare ${i % 40}
fastställd: 2026-05-04
fastställd_av: IT-chef
nästa_revision: 2027-05-31
överordnad: it-säkerhetspolicy
---

${sections}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, count] = process.argv.slice(2);
  cpSync(join(repo, "styrdok.toml"), join(dir, "styrdok.toml"));
  cpSync(join(repo, "content"), join(dir, "content"), { recursive: true });
  addGenerated(dir, Number(count));
}
