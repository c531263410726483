// Bundles the candidate IDE (src/ide.js, src/ide.css) and the interviewer pages
// (src/interviewer/) -> ../static/web/build/ (ide.js, ide.css, interviewer.js, interviewer.css,
// their source maps and the KaTeX fonts). Run by `make frontend` from the repository root; works
// from any directory. `node build.mjs --watch` rebuilds on every change while developing.
import { readFile, rm, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, "../static/web/build");
const watch = process.argv.includes("--watch");

// KaTeX's stylesheet lists every font three times (woff2, woff, ttf). Every browser a candidate
// can use reads woff2, so keep only that: a third of the font bytes, and nothing else changes.
const katexWoff2Only = {
  name: "katex-woff2-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]katex[\\/]dist[\\/]katex(\.min)?\.css$/ }, async (args) => {
      const css = await readFile(args.path, "utf8");
      const trimmed = css.replace(
        /,\s*url\([^)]*\.woff\)\s*format\("woff"\)\s*,\s*url\([^)]*\.ttf\)\s*format\("truetype"\)/g,
        "",
      );
      if (trimmed === css) {
        throw new Error("katex.min.css changed shape: the woff/ttf fallbacks were not found");
      }
      return { contents: trimmed, loader: "css" };
    });
  },
};

const options = {
  absWorkingDir: here,
  entryPoints: [
    "src/ide.js",
    "src/ide.css",
    { in: "src/interviewer/index.js", out: "interviewer" },
    { in: "src/interviewer/interviewer.css", out: "interviewer" },
  ],
  outdir,
  entryNames: "[name]",
  assetNames: "[name]-[hash]",
  bundle: true,
  format: "iife",
  minify: true,
  sourcemap: "linked",
  legalComments: "eof",
  target: ["chrome100", "firefox100", "safari15", "edge100"],
  loader: { ".woff2": "file", ".woff": "file", ".ttf": "file" },
  plugins: [katexWoff2Only],
  logLevel: "info",
};

// Start from an empty folder so fonts with an old hash do not pile up (the Makefile's stamp
// file lives here too and is written after a successful build).
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  const result = await esbuild.build({ ...options, metafile: true });
  const outputs = Object.entries(result.metafile.outputs)
    .filter(([file]) => !file.endsWith(".map"))
    .map(([file, info]) => [path.relative(here, path.resolve(here, file)), info.bytes]);
  const total = outputs.reduce((sum, [, bytes]) => sum + bytes, 0);
  console.log(`built ${outputs.length} files, ${(total / 1024).toFixed(0)} KiB without source maps`);
}
