#!/usr/bin/env bash
# The one test command (`npm test`): brings a fresh machine with only Node 20 + npm up to
# what the suites need, type-checks, runs every vitest suite against real services, and
# ends with one line "N passed, N failed". Extra arguments go to vitest (e.g. a path filter).
set -uo pipefail
cd "$(dirname "$0")/.."

fail() { echo "scripts/test.sh: $*" >&2; exit 1; }

# node_modules is current when npm's record of what it installed (node_modules/.package-lock.json)
# matches package-lock.json, and the lock's root entry matches package.json.
node_modules_current() {
  node - <<'JS'
const fs = require('node:fs');
const read = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
try {
  const manifest = read('package.json');
  const lock = read('package-lock.json').packages;
  const installed = read('node_modules/.package-lock.json').packages;
  const same = (a = {}, b = {}) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  const root = lock[''] ?? {};
  if (!same(manifest.dependencies, root.dependencies) || !same(manifest.devDependencies, root.devDependencies)) process.exit(1);
  for (const [path, entry] of Object.entries(lock)) {
    if (path === '' || entry.optional) continue;
    if (installed[path]?.version !== entry.version) process.exit(1);
  }
  for (const [path, entry] of Object.entries(installed)) {
    if (lock[path]?.version !== entry.version) process.exit(1);
  }
} catch {
  process.exit(1);
}
JS
}

if ! node_modules_current; then
  echo "scripts/test.sh: installing npm dependencies from package-lock.json"
  # Not `npm ci`: the npm registry reachable here lacks other platforms' optional native
  # packages (@swc/core-darwin-*, @nx/nx-win32-*), so the lock cannot list them and npm ci
  # rejects it as out of sync; `npm install` with the lock installs the same versions.
  npm install --no-audit --no-fund || fail "npm install failed (see above)"
fi

mapfile -t debian_packages < <(grep -v '^\s*$' test/support/debian-packages.txt)
missing=()
for package in "${debian_packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || fail "missing Debian packages: ${missing[*]}; install them as root: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  echo "scripts/test.sh: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq || fail "apt-get update failed"
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" || fail "apt-get install ${missing[*]} failed"
fi

# The suites run the CLI as users and Nx do: compiled (tools/cli/bin/dockyard.cjs runs the sources when the build is stale).
echo "scripts/test.sh: compiling the CLI (npm run build:cli)"
npm run --silent build:cli || fail "compiling the CLI failed (see above)"

typecheck_status=0
echo "scripts/test.sh: type-checking (tsc -p tsconfig.json)"
npx --no-install tsc -p tsconfig.json || typecheck_status=$?

format_status=0
echo "scripts/test.sh: checking formatting (npm run format:check; npm run format fixes it)"
npm run --silent format:check || format_status=$?

lint_status=0
echo "scripts/test.sh: linting (npm run lint: eslint with typescript-eslint, eslint.config.mjs)"
npm run --silent lint || lint_status=$?

mkdir -p tmp
results=tmp/vitest-results.json
rm -f "$results"
npx --no-install vitest run --reporter=default --reporter=json --outputFile="$results" "$@"
vitest_status=$?

[ -s "$results" ] || fail "vitest wrote no results to $results (exit code $vitest_status)"
summary=$(node -e '
const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
// A file that failed to load has no failed test but still failed.
const brokenFiles = r.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed")).length;
console.log(r.numPassedTests, r.numFailedTests + brokenFiles);
' "$results") || fail "could not read $results"
read -r passed failed <<<"$summary"

[ "$typecheck_status" -eq 0 ] || echo "scripts/test.sh: type check failed (tsc exit code $typecheck_status)"
[ "$format_status" -eq 0 ] || echo "scripts/test.sh: formatting differs from prettier's (run npm run format and commit)"
[ "$lint_status" -eq 0 ] || echo "scripts/test.sh: eslint found problems (see above; npm run lint)"
echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ] || [ "$vitest_status" -ne 0 ] || [ "$typecheck_status" -ne 0 ] || [ "$format_status" -ne 0 ] || [ "$lint_status" -ne 0 ]; then
  exit 1
fi
