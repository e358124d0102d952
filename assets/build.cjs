#!/usr/bin/env node
// Builds static/vendor/bootstrap/tribune-bootstrap.css: Bootstrap's Sass (tribune-bootstrap.scss)
// compiled and minified by dart-sass, then PurgeCSS keeps only the rules whose class names
// appear in the files that write our HTML (purge.json, with crispy-bootstrap5's templates).
// Usage (the Makefile's `make css` and `make css-check` run it):
//   node assets/build.cjs --node-modules DIR --crispy DIR [--check]
// --check builds in memory and exits 1 when a committed output differs from a fresh build.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

const ROOT = path.resolve(__dirname, "..");
const OUTPUT = path.join(ROOT, "static/vendor/bootstrap/tribune-bootstrap.css");
const SELECTORS = path.join(__dirname, "bootstrap-selectors.txt");
// The files whose words keep a rule, and the classes made up at run time (purge.json).
const PURGE = JSON.parse(fs.readFileSync(path.join(__dirname, "purge.json"), "utf8"));

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
  const content = PURGE.content.map((glob) => path.join(ROOT, glob));
  content.push(path.join(crispy, PURGE.crispy_content));
  const [purged] = await new PurgeCSS().purge({
    content,
    css: [{ raw: compiled }],
    safelist: { standard: PURGE.safelist.map((pattern) => new RegExp(pattern)) },
  });
  const version = load("bootstrap/package.json").version;
  const banner =
    `/*! Tribune's build of Bootstrap v${version}: only the rules the site uses; ` +
    "assets/README.md says how to rebuild. MIT licence: LICENSE beside this file. */\n";
  return { css: banner + purged.css.trim() + "\n", selectors: classSets(load, compiled) };
}

// Each selector of the whole compiled Bootstrap as the classes it needs, one set a line:
// what tests/config/test_bootstrap_build.py checks templates against without npm.
function classSets(load, css) {
  const postcss = load("postcss");
  const parser = load("postcss-selector-parser");
  const sets = new Set();
  postcss.parse(css).walkRules((rule) => {
    parser((selectors) => {
      selectors.each((selector) => {
        const classes = new Set();
        selector.walkClasses((node) => classes.add(node.value));
        if (classes.size) sets.add([...classes].sort().join(" "));
      });
    }).processSync(rule.selector);
  });
  const header =
    "# Written by make css (assets/build.cjs): the classes each Bootstrap selector needs.\n";
  return header + [...sets].sort().join("\n") + "\n";
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const built = await build(args);
  const outputs = [
    [OUTPUT, built.css],
    [SELECTORS, built.selectors],
  ];
  if (args.check) {
    let stale = false;
    for (const [file, text] of outputs) {
      const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      if (committed !== text) {
        console.error(`${path.relative(ROOT, file)} differs from a fresh build.`);
        stale = true;
      }
    }
    if (stale) {
      console.error("Run make css and commit what it writes (assets/README.md).");
      process.exit(1);
    }
    console.log(`${path.relative(ROOT, OUTPUT)} matches a fresh build (${built.css.length} bytes).`);
    return;
  }
  for (const [file, text] of outputs) {
    fs.writeFileSync(file, text);
    console.log(`${path.relative(ROOT, file)}: ${text.length} bytes.`);
  }
}

main().catch((error) => {
  console.error(error.message || error);
  process.exit(2);
});
