#!/usr/bin/env node
/**
 * First-route JavaScript of the built web app (apps/web/dist), gzipped: the
 * entry chunk with everything it imports statically, plus, per route, the
 * view's lazy chunk and its static imports that the entry did not load.
 * Usage: pnpm --filter @dandi/web build && node bench/web-bundle/measure.mjs
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const dist = path.resolve(import.meta.dirname, "../../apps/web/dist");
const assets = path.join(dist, "assets");
const files = readdirSync(assets);
const read = (file) => readFileSync(path.join(assets, file));
const gz = (file) => gzipSync(read(file), { level: 9 }).length;

/** A chunk and every chunk it imports statically (import … from "./x.js", import "./x.js"). */
function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = read(file).toString("utf8");
  for (const m of text.matchAll(/(?:from\s*|import\s*)["']\.\/([\w.-]+\.js)["']/g)) closure(m[1], seen);
  return seen;
}

const html = readFileSync(path.join(dist, "index.html"), "utf8");
const entry = /<script type="module"[^>]*src="\/assets\/([\w.-]+\.js)"/.exec(html)[1];
const base = closure(entry);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const sum = (set) => [...set].reduce((a, f) => a + gz(f), 0);
console.log(`entry (${entry} + ${base.size - 1} static imports): ${kb(sum(base))} gzipped`);
for (const view of ["HomeView", "DandisetLandingView", "MetadataEditorView", "FileBrowserView"]) {
  const chunk = files.find((f) => f.startsWith(`${view}-`) && f.endsWith(".js"));
  if (!chunk) continue;
  const extra = new Set([...closure(chunk)].filter((f) => !base.has(f)));
  console.log(
    `${view}: first route ${kb(sum(base) + sum(extra))} gzipped (route chunks ${kb(sum(extra))}: ${[...extra].join(", ")})`,
  );
}
