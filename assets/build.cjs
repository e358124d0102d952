#!/usr/bin/env node
// Builds static/vendor/bootstrap/tribune-bootstrap.css: Bootstrap's Sass (tribune-bootstrap.scss)
// compiled and minified by dart-sass, then PurgeCSS keeps only the rules whose class names
// appear in the files that write our HTML (CONTENT below, plus crispy-bootstrap5's templates).
// Usage (the Makefile's `make css` and `make css-check` run it):
//   node assets/build.cjs --node-modules DIR --crispy DIR [--check]
// --check builds in memory and exits 1 when the committed file differs from a fresh build.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

const ROOT = path.resolve(__dirname, "..");
const OUTPUT = path.join(ROOT, "static/vendor/bootstrap/tribune-bootstrap.css");
// Everything that can put a class on a public page. Words are taken from each file whole
// (PurgeCSS's default extractor), so a class named anywhere in them is kept.
const CONTENT = [
  "templates/**/*.html",
  "static/js/**/*.js",
  "{accounts,blog,comments,core,config,wordpress}/**/*.py",
];
// Classes put together at run time, which no file spells out whole.
const SAFELIST = {
  // includes/messages.html: alert-{{ message.tags }} (debug, info, success, warning).
  standard: [/^alert-(debug|info|success|warning|danger)$/],
};

function parseArgs(argv) {
  const args = { check: false };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i];
    if (name === "--check") args.check = true;
    else if (name === "--node-modules") args.nodeModules = path.resolve(argv[(i += 1)]);
    else if (name === "--crispy") args.crispy = path.resolve(argv[(i += 1)]);
    else throw new Error(`unknown argument ${name}`);
  }
  if (!args.nodeModules || !args.crispy) {
    throw new Error("usage: build.cjs --node-modules DIR --crispy DIR [--check]");
  }
  return args;
}

async function build({ nodeModules, crispy }) {
  const load = createRequire(path.join(nodeModules, "noop.js"));
  const sass = load("sass");
  const { PurgeCSS } = load("purgecss");
  const compiled = sass.compile(path.join(__dirname, "tribune-bootstrap.scss"), {
    loadPaths: [path.join(nodeModules, "bootstrap/scss")],
    style: "compressed",
    quietDeps: true,
  }).css;
  const content = CONTENT.map((glob) => path.join(ROOT, glob));
  content.push(path.join(crispy, "templates/bootstrap5/**/*.html"));
  const [purged] = await new PurgeCSS().purge({
    content,
    css: [{ raw: compiled }],
    safelist: SAFELIST,
  });
  const version = load("bootstrap/package.json").version;
  const banner =
    `/*! Tribune's build of Bootstrap v${version}: only the rules the site uses; ` +
    "assets/README.md says how to rebuild. MIT licence: LICENSE beside this file. */\n";
  return banner + purged.css.trim() + "\n";
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const css = await build(args);
  const relative = path.relative(ROOT, OUTPUT);
  if (args.check) {
    const committed = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, "utf8") : "";
    if (committed !== css) {
      console.error(`${relative} differs from a fresh build: run make css and commit it.`);
      process.exit(1);
    }
    console.log(`${relative} matches a fresh build (${css.length} bytes).`);
    return;
  }
  fs.writeFileSync(OUTPUT, css);
  console.log(`${relative}: ${css.length} bytes.`);
}

main().catch((error) => {
  console.error(error.message || error);
  process.exit(2);
});
