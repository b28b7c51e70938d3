// The README's commands and version claims are the ones the tests run: the manual install command
// is the one the e2e suites install with, the minimum n8n it states is the oldest runtime CI runs,
// and each trigger example has the sample event `npm start` tells users to post.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
// Plain JS modules of the e2e suite (no TypeScript types).
const { MANUAL_INSTALL_FLAGS } = require('../../e2e/n8n') as { MANUAL_INSTALL_FLAGS: string[] };
const { RUNTIMES } = require('../../e2e/runtime') as { RUNTIMES: Record<string, unknown> };

const versionKey = (v: string) => v.split('.').map((n) => n.padStart(4, '0')).join('.');

describe('README', () => {
	it('gives the manual install command the e2e suites install with, and no other', () => {
		const commands = readme.split('\n').filter((line) => /^\s*npm install n8n-nodes-brevo-conversations\b/.test(line));
		expect(commands.map((c) => c.trim())).toEqual([`npm install n8n-nodes-brevo-conversations ${MANUAL_INSTALL_FLAGS.join(' ')}`]);
	});

	it('states as minimum n8n the oldest runtime that CI runs the e2e suite on', () => {
		const oldest = Object.keys(RUNTIMES).sort((a, b) => versionKey(a).localeCompare(versionKey(b)))[0];
		expect(readme).toContain(`**n8n ${oldest} or later**, the oldest version tested`);
		expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toContain(`E2E_RUNTIME=${oldest} npm run test:e2e`);
	});

	it('has a sample event in examples/events/ for every trigger example, holding a Brevo eventName the example selects', () => {
		const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.json'));
		const withTrigger = examples
			.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(root, 'examples', file), 'utf8')) }))
			.map(({ file, workflow }) => ({ file, trigger: workflow.nodes.find((n: { type: string }) => n.type.endsWith('.brevoConversationsTrigger')) }))
			.filter(({ trigger }) => trigger);
		expect(withTrigger.length).toBe(3);
		for (const { file, trigger } of withTrigger) {
			const eventFile = join(root, 'examples', 'events', file);
			expect(existsSync(eventFile)).toBe(true);
			const event = JSON.parse(readFileSync(eventFile, 'utf8'));
			expect(trigger.parameters.events).toContain(event.eventName);
		}
	});
});
