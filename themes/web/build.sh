#!/usr/bin/env bash
# Builds the account-console and admin-console pages (run by Maven in generate-resources; see themes/pom.xml).
# Needs Node.js 20.19+ (20.x) or 22.12+ and npm on the PATH. `npm ci` installs exactly what package-lock.json records.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ERROR: the themes module builds the console pages with Node.js and npm, and neither was found on the PATH." >&2
  echo "       Install Node.js 20.19 or newer (with npm), or build without the consoles: mvn -pl '!themes,!tests' ..." >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
minor=$(node -p 'process.versions.node.split(".")[1]')
# Vite 7 supports Node.js ^20.19.0 || >=22.12.0 (its engines field)
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; } || [ "$major" -eq 21 ] \
  || { [ "$major" -eq 22 ] && [ "$minor" -lt 12 ]; }; then
  echo "ERROR: Node.js $(node --version) cannot build the console pages: Vite 7 needs 20.19+ (20.x) or 22.12+." >&2
  exit 1
fi
# npm ci wipes node_modules; skip it when the lockfile has not changed since the last install
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund
fi
# the JAR takes what Maven copies into target/classes: drop the previous build's assets first, so no stale chunk
# is packaged and served next to the current one
rm -rf ../target/classes/theme/iot-tokens/account/resources/assets ../target/classes/theme/iot-tokens/account/resources/.vite \
  ../target/classes/theme/iot-tokens/admin/resources/assets ../target/classes/theme/iot-tokens/admin/resources/.vite
npm run build
# each console's entry chunk (the file its manifest marks isEntry) must hold a real program
for console in account admin; do
  entry=$(node -e 'const m=require(process.argv[1]); console.log(Object.values(m).find(c => c.isEntry).file)' \
    "$PWD/../target/web/$console/.vite/manifest.json")
  size=$(wc -c < "../target/web/$console/$entry")
  if [ "$size" -lt 10000 ]; then
    echo "ERROR: the $console console's entry chunk $entry has only $size bytes: the build produced no console" >&2
    exit 1
  fi
done
