// The n8n verification rule set, at least as strict as n8n's package scanner
// (@n8n/scan-community-package, scanner/scanner.mjs buildScanConfig). Always run with
// --no-inline-config: the scanner ignores eslint-disable comments, so must we.
//
// Two legs, like the scanner's:
// - `npm run lint`      the source: package.json, credentials/ and nodes/ (.ts and the codex .json);
// - `npm run lint:dist` what npm publishes: the built dist/**/*.js and package.json
//                       (needs `npm run build` first; --no-ignore lifts the dist/ ignore below).
// test/jest scan.test.ts runs the scanner's own analyzePackage on the source and on the packed tarball.
import js from '@eslint/js';
import tsParser from '@typescript-eslint/parser';
import globals from 'globals';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const n8nBase = { 'n8n-nodes-base': n8nNodesBase };
const { recommended } = communityNodes.configs;

// The scanner applies the community-nodes set to every file it lints, plus no-console.
const scannerRules = { ...recommended.rules, 'no-console': 'error' };

export default [
	{
		// test/**/*.ts is checked by tsc (npm run typecheck), not here.
		ignores: ['dist/**', 'node_modules/**', 'test/**/*.ts', 'examples/**', 'docs/**', '.cache/**', '.github/**', 'eslint.config.mjs', 'package-lock.json'],
	},
	{
		// The project's own tooling in plain JavaScript (e2e suite, bench, fake Brevo server, build
		// scripts): n8n never loads it, so it gets ESLint's general rules, not n8n's.
		files: ['e2e/**/*.js', 'bench/**/*.js', 'test/**/*.js', 'scripts/**/*.js', 'gulpfile.js', 'jest.config.js'],
		languageOptions: { sourceType: 'commonjs', ecmaVersion: 'latest', globals: globals.node },
		rules: js.configs.recommended.rules,
	},
	{
		// bench/upstream's equivalence test runs in jest (npm run bench:equivalence).
		files: ['bench/**/*.test.js'],
		languageOptions: { globals: { ...globals.node, ...globals.jest } },
	},
	{
		files: ['package.json', 'credentials/**/*.ts', 'nodes/**/*.ts', 'nodes/**/*.json', 'credentials/**/*.json'],
		// JSON as well: the package.json rules of both plugins walk a TSESTree ObjectExpression, which
		// @typescript-eslint/parser produces for a .json file (the scanner registers it for **/*.json).
		// jsonc-eslint-parser yields JSONObjectExpression nodes instead, and every package.json rule
		// then passes silently — measured: 0 findings on a package.json that breaks 16 rules.
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: recommended.plugins,
		rules: scannerRules,
	},
	{
		files: ['package.json'],
		plugins: n8nBase,
		rules: { ...n8nNodesBase.configs.community.rules },
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: n8nBase,
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Main-repository rule: it wants a docs slug, while community credentials must give a full URL
			// (required by @n8n/community-nodes/credential-documentation-url). The scanner turns it off too.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// partnerKey is a secret (Brevo's partner-key header), so it stays masked; the rule's list of
			// secret-like names has "apikey" but not "partnerkey". A warning in the scanner (which fails
			// on errors only); off here because this lint fails on warnings too.
			'@n8n/community-nodes/credential-unnecessary-password': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: n8nBase,
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Both predate NodeConnectionTypes and ask for the string 'main', which the newer
			// @n8n/community-nodes/node-connection-type-literal rule forbids. The scanner turns both off.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		// The published leg: compiled JavaScript, parsed as the scanner parses it (ESLint's default
		// parser). The n8n-nodes-base node/credential rules are not applied here, as in the scanner:
		// they no-op on compiled classes and their filename rules expect .ts.
		files: ['dist/**/*.js'],
		plugins: recommended.plugins,
		rules: scannerRules,
	},
];
