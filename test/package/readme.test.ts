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

// GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, "-1", "-2"… for repeats.
function anchorsOf(markdown: string): Set<string> {
	const seen = new Map<string, number>();
	const anchors = new Set<string>();
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (line.startsWith('```')) fenced = !fenced;
		// An anchor kept for a section that moved elsewhere: <a name="…"></a>
		for (const match of fenced ? [] : line.matchAll(/<a name="([^"]+)"><\/a>/g)) anchors.add(match[1]);
		if (fenced || !/^#{1,6} /.test(line)) continue;
		const slug = line.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
		const count = seen.get(slug) ?? 0;
		anchors.add(count ? `${slug}-${count}` : slug);
		seen.set(slug, count + 1);
	}
	return anchors;
}

/** Every link target of a markdown text, inline `[text](target)` and reference `[name]: target` alike, code left out. */
function linksOf(markdown: string): string[] {
	const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
	const inline = [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
	const references = [...prose.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]);
	return [...inline, ...references];
}

const REPOSITORY_URL = 'https://github.com/n8n-nodes-brevo-conversations/n8n-nodes-brevo-conversations';
const RAW_URL = 'https://raw.githubusercontent.com/n8n-nodes-brevo-conversations/n8n-nodes-brevo-conversations';

/** The file a link names in this repository (with its anchor), or undefined for an outside link. */
function repositoryTarget(link: string, from: string): { file: string; anchor?: string } | undefined {
	const [target, anchor] = link.split('#') as [string, string | undefined];
	for (const base of [`${REPOSITORY_URL}/blob/main/`, `${REPOSITORY_URL}/tree/main/`, `${RAW_URL}/main/`]) {
		if (target.startsWith(base)) return { file: target.slice(base.length), anchor };
	}
	if (/^[a-z]+:/i.test(target)) return undefined;
	return { file: target === '' ? from : join(from, '..', target).replace(/\\/g, '/'), anchor };
}

describe('links of the README and the guides', () => {
	it('the README is the front door: at most 300 lines, the quick start in its first screen', () => {
		const lines = readme.split('\n');
		expect(lines.length).toBeLessThanOrEqual(300);
		const firstScreen = lines.slice(0, 40).join('\n');
		expect(firstScreen).toContain('## Try it in 1 command');
		expect(firstScreen).toMatch(/^npm start$/m);
	});

	it('keeps every anchor the README had before its sections moved to docs/ (codex files, node notices and old links use them)', () => {
		const kept = ['installation', 'credentials', 'operations', 'examples', 'reach-a-customer-from-an-order', 'brevo-conversations-trigger',
			'setup', 'the-webhook-token', 'moving-from-trigger-version-1-to-version-2', 'what-starts-the-workflow', 'avoid-reply-loops',
			'human-agents-and-the-bot', 'what-the-trigger-remembers', 'output', 'visitor-files', 'use-with-ai-agents', 'the-ai-chat-bot-example',
			'rate-limits', 'performance', 'scaling-with-queue-mode', 'troubleshooting', 'compatibility', 'try-it-in-1-command', 'development',
			'run-the-tests', 'publishing-a-release', 'license'];
		const anchors = anchorsOf(readme);
		expect(kept.filter((anchor) => !anchors.has(anchor))).toEqual([]);
	});

	// npm shows the README of the published package, which holds dist/ only (package.json "files"), and
	// npm's renderer does not reliably rewrite a relative link or image to the repository (npm/marky-markdown
	// #432, npm/newww #1418): every link that leaves the README is absolute, to the main branch.
	it('the README links outside itself only with absolute URLs, and its image is a raw GitHub URL', () => {
		const relative = linksOf(readme).filter((link) => !/^(https?:|mailto:|#)/.test(link));
		expect(relative).toEqual([]);
		const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
		expect(images.length).toBeGreaterThan(0);
		for (const image of images) expect(image.startsWith(`${RAW_URL}/main/`)).toBe(true);
	});

	const markdownFiles = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
	it.each(markdownFiles)('%s: every link into the repository names a file that exists, and an anchor it has', (file) => {
		const text = readFileSync(join(root, file), 'utf8');
		const broken: string[] = [];
		for (const link of linksOf(text)) {
			const target = repositoryTarget(link, file);
			if (!target) continue;
			const path = join(root, target.file);
			if (!existsSync(path)) broken.push(`${link}: no file ${target.file}`);
			else if (target.anchor && !anchorsOf(readFileSync(path, 'utf8')).has(target.anchor)) broken.push(`${link}: no heading #${target.anchor}`);
		}
		expect(broken).toEqual([]);
	});
});
