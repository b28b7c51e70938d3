// Runs n8n's community package scanner (@n8n/scan-community-package, the gate n8n applies before
// a package is verified) on one directory, the way analyzePackageByName does for a published
// package:
//   node scripts/scan-package.mjs source  <dir>   lints SOURCE_FILE_PATTERNS (package.json, nodes/, credentials/)
//   node scripts/scan-package.mjs tarball <dir>   lints **/*.js and package.json of an unpacked npm tarball
// Prints one JSON line {leg, dir, files, passed, message, details} and exits 1 when the scan fails.
// Provenance (checkPackageProvenance, and fetching the source its attestation points at) needs a
// package published to the registry; it is not part of this check — the publish workflow
// publishes with --provenance.
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

// The scanner's own file matcher, resolved from the scanner package (not one of our dependencies).
const glob = createRequire(import.meta.resolve('@n8n/scan-community-package/scanner/scanner.mjs'))('fast-glob');

const PATTERNS = { source: SOURCE_FILE_PATTERNS, tarball: ['**/*.js', 'package.json'] };

const [leg, dirArg] = process.argv.slice(2);
if (!PATTERNS[leg] || !dirArg) {
	process.stderr.write('usage: node scripts/scan-package.mjs source|tarball <dir>\n');
	process.exit(2);
}

const dir = resolve(dirArg); // ESLint wants an absolute cwd
const patterns = PATTERNS[leg];
// The same file selection as analyzePackage, reported so a scan of nothing cannot pass unseen.
const files = glob.sync(patterns, { cwd: dir, ignore: ['node_modules/**', '**/package-lock.json'] }).sort();
const result = await analyzePackage(dir, patterns);
process.stdout.write(
	JSON.stringify({ leg, dir, files, passed: result.passed, message: result.message ?? null, details: result.details ?? null }) + '\n',
);
process.exit(result.passed ? 0 : 1);
