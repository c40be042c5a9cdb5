// Stack traces of the compiled CLI name the TypeScript files (tools/cli/dist's source maps), read only when a stack
// is formatted. Node's own source-map support (`--enable-source-maps`, process.setSourceMapsEnabled) reads and
// parses each bundle's map as the bundle loads, ~10–30 ms for a verb on every run; a run prints no stack unless
// something crashes, so the maps are parsed then and not before.
const fs = require('node:fs');
const path = require('node:path');
const { SourceMap } = require('node:module');

const maps = new Map();

function mapOf(file) {
  if (!maps.has(file)) {
    let map;
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = undefined;
    }
    maps.set(file, map);
  }
  return maps.get(file);
}

/** One frame as V8 prints it, its bundle location replaced by the source's. */
function sourceFrame(frame, dist) {
  const text = `    at ${frame}`;
  const file = frame.getFileName();
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  if (!file || !file.startsWith(dist) || !line || !column) return text;
  const entry = mapOf(file)?.findEntry(line - 1, column - 1);
  if (!entry || !entry.originalSource) return text;
  const source = path.resolve(path.dirname(file), entry.originalSource);
  return text.replace(`${file}:${line}:${column}`, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
}

/** Maps the frames of every stack formatted from now on that fall in `dist`. */
function mapStacksInto(dist) {
  const prefix = `${path.resolve(dist)}${path.sep}`;
  Error.prepareStackTrace = (error, frames) =>
    [String(error), ...frames.map((frame) => sourceFrame(frame, prefix))].join('\n');
}

module.exports = { mapStacksInto };
