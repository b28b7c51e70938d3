// The release path n8n's verification depends on: CI on both supported Node lines, and a publish
// workflow that only a version tag starts and that publishes with npm provenance.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('GitHub workflows', () => {
	it('CI installs with npm ci, lints and tests on Node 20 and 24', () => {
		const ci = read('.github/workflows/ci.yml');
		expect(ci).toMatch(/node: \[20, 24\]/);
		expect(ci).toMatch(/run: npm ci\b/);
		expect(ci).toMatch(/run: npm run lint\n/);
		expect(ci).toMatch(/run: npm test\n/);
	});

	it('publish runs on v* tags only, with an OIDC token, tests first, and publishes with provenance', () => {
		const publish = read('.github/workflows/publish.yml');
		expect(publish).toMatch(/on:\n  push:\n    tags: \['v\*'\]\n\n/);
		expect(publish).toMatch(/\n  id-token: write\b/);
		const steps = ['run: npm ci', 'run: npm test', 'run: npm publish --provenance --access public'].map((step) => publish.indexOf(step));
		expect(steps.every((index) => index > 0)).toBe(true);
		expect([...steps].sort((a, b) => a - b)).toEqual(steps);
		// setup-node's registry-url would write an _authToken line that disables trusted publishing.
		expect(publish).not.toMatch(/^\s*registry-url:/m);
	});

	it('the changelog has an entry for the version in package.json', () => {
		const { version } = JSON.parse(read('package.json')) as { version: string };
		expect(read('CHANGELOG.md')).toContain(`## [${version}] - `);
	});
});
