// Whether tools/cli/dist holds a build of the sources as they are now, for the verb about to run. The files that
// build was made from (the entry's, and that verb's) are compared by mtime and size, one stat each; any difference,
// or no build at all, means the sources run in place instead, so an edited or checked-out file never runs as its
// old compiled self.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..', '..');
const DIST = path.join(__dirname, '..', 'dist');
/** build.json's layout, as tools/cli/build.cjs writes it: a build from before it changed is not run. */
const FORMAT = 1;

function unchanged(root, stamps) {
  for (const file in stamps) {
    const stat = fs.statSync(path.join(root, file), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs !== stamps[file][0] || stat.size !== stamps[file][1]) return false;
  }
  return true;
}

/**
 * The compiled entry and the help of the verb `argv` names (checked too) when the build is current, else undefined.
 * `dockyard help VERB` names its verb second. `root` and `dist` are the workspace's, but for tests.
 */
function currentBuild(argv, { root = ROOT, dist = DIST } = {}) {
  let record;
  try {
    record = JSON.parse(fs.readFileSync(path.join(dist, 'build.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (record.format !== FORMAT) return undefined;
  const name = argv[0] === 'help' ? argv[1] : argv[0];
  const verb = Object.hasOwn(record.verbs, name) ? record.verbs[name] : undefined;
  if (!unchanged(root, record.common) || (verb && !unchanged(root, verb.inputs))) return undefined;
  return { entry: path.join(dist, 'main.cjs'), help: verb ? { [name]: verb.help } : {} };
}

module.exports = { currentBuild };
