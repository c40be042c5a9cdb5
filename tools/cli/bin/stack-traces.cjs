// A crash of the compiled CLI prints a stack naming the TypeScript files (tools/cli/dist's source maps). Node's own
// source-map support (`--enable-source-maps`, process.setSourceMapsEnabled) parses each bundle's map as the bundle
// loads, and a global Error.prepareStackTrace would parse it whenever any stack is formatted, which happens in
// normal runs (a stream reads an aborted request's AbortError.stack when a registry is pinged on two schemes); a
// verb's map is over a megabyte. The CLI prints only messages, so the one stack a user sees is a crash's, and the
// maps are parsed then and not before.
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

/** Maps the frames that fall in `dist` of every stack formatted from now on. */
function mapStacksInto(dist) {
  const prefix = `${path.resolve(dist)}${path.sep}`;
  Error.prepareStackTrace = (error, frames) =>
    [String(error), ...frames.map((frame) => sourceFrame(frame, prefix))].join('\n');
}

/** Maps the stack of a crash (an uncaught exception or rejection) before Node prints it. */
function mapCrashStacksInto(dist) {
  process.once('uncaughtExceptionMonitor', () => mapStacksInto(dist));
}

module.exports = { mapStacksInto, mapCrashStacksInto };
