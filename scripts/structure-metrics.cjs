#!/usr/bin/env node
// The structure figures issue 15 asks for, on the tree in the current directory (or the one given):
// files, lines, the largest file, lines over 120 characters, relative cross-library imports, functions
// over 80 lines and error classes never checked, over the TypeScript under libs/ and tools/ (sources and tests;
// functions and error classes in sources only). Repeated blocks are the `duplicates` tool's to count.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(process.argv[2] ?? '.');
const SOURCE_ROOTS = ['libs', 'tools'];
const isTest = (file) => /\.test\.ts$/.test(file);

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'fixtures') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

const files = SOURCE_ROOTS.filter((r) => fs.existsSync(path.join(root, r))).flatMap((r) => walk(path.join(root, r)));
const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
const rel = (f) => path.relative(root, f);
const libOf = (f) => (rel(f).match(/^(libs|tools)\/([^/]+)\//) ?? [])[2];

let lines = 0;
let longLines = 0;
let largest = { file: '', lines: 0 };
let crossImports = 0;
const longFunctions = [];
const errorClasses = new Map();
for (const [file, text] of texts) {
  const fileLines = text.split('\n');
  lines += fileLines.length;
  longLines += fileLines.filter((l) => l.length > 120).length;
  if (fileLines.length > largest.lines) largest = { file: rel(file), lines: fileLines.length };
  for (const m of text.matchAll(/(?:from|import\(|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = path.resolve(path.dirname(file), m[1]);
    const targetLib = (path.relative(root, target).match(/^libs\/([^/]+)\//) ?? [])[1];
    if (targetLib && targetLib !== libOf(file)) crossImports++;
  }
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > 80 && !isTest(file))
        longFunctions.push(`${rel(file)}:${start + 1} (${end - start + 1} lines)`);
    }
    if (ts.isClassDeclaration(node) && node.name && !isTest(file)) {
      const heritage = node.heritageClauses?.flatMap((h) => h.types.map((t) => t.expression.getText(sf))) ?? [];
      if (heritage.some((h) => /Error$/.test(h))) errorClasses.set(node.name.text, rel(file));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
// A class is checked when some code branches on it: `instanceof X`, or a subclass of it is checked.
const allText = [...texts.values()].join('\n');
const neverChecked = [...errorClasses.keys()].filter((name) => !new RegExp(`instanceof\\s+${name}\\b`).test(allText));

const result = {
  files: files.length,
  sourceFiles: files.filter((f) => !isTest(f)).length,
  lines,
  largestFile: `${largest.file} (${largest.lines})`,
  linesOver120: longLines,
  linesOver120Percent: +((100 * longLines) / lines).toFixed(2),
  relativeCrossLibraryImports: crossImports,
  functionsOver80Lines: longFunctions.length,
  errorClasses: errorClasses.size,
  errorClassesNeverChecked: neverChecked.length,
};
if (process.argv.includes('--list')) Object.assign(result, { longFunctions, neverChecked });
console.log(JSON.stringify(result, null, 2));
