// The n8n verification rule set, applied as strictly as n8n's package scanner: run with
// --no-inline-config, so eslint-disable comments count for nothing.
import tsParser from '@typescript-eslint/parser';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const n8nBase = { 'n8n-nodes-base': n8nNodesBase };

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'e2e/**', 'bench/**', 'scripts/**', '.cache/**', 'gulpfile.js', 'jest.config.js'] },
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		...communityNodes.configs.recommended,
		rules: { ...communityNodes.configs.recommended.rules },
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser },
		plugins: n8nBase,
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Main-repository rule: it wants a docs slug, while community credentials must give a full URL
			// (required by @n8n/community-nodes/credential-documentation-url).
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// partnerKey is a secret (Brevo's partner-key header), so it stays masked; the rule's list of
			// secret-like names has "apikey" but not "partnerkey". A warning only, also in the scanner.
			'@n8n/community-nodes/credential-unnecessary-password': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser },
		plugins: n8nBase,
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Both predate NodeConnectionTypes and ask for the string 'main', which the newer
			// @n8n/community-nodes/node-connection-type-literal rule forbids.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
