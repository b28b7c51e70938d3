// The package as npm publishes it: packs the built package (npm test builds first), checks the
// tarball's files and package.json against n8n's community-node conventions, and runs n8n's own
// scanner (@n8n/scan-community-package) on the source and on the unpacked tarball.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

const root = join(__dirname, '..', '..');
const REPOSITORY = 'n8n-nodes-brevo-conversations/n8n-nodes-brevo-conversations';

interface PackedPackage {
	name: string;
	[key: string]: unknown;
}

interface ScanReport {
	leg: string;
	files: string[];
	passed: boolean;
	message: string | null;
	details: string | null;
}

let workDir: string;
let unpacked: string;
let packedFiles: string[];
let pkg: PackedPackage & Record<string, any>;

function scan(leg: 'source' | 'tarball', dir: string): ScanReport {
	const run = spawnSync(process.execPath, [join(root, 'scripts', 'scan-package.mjs'), leg, dir], {
		cwd: root,
		encoding: 'utf8',
		// Jest sets NODE_ENV=test, which switches eslint-plugin-n8n-nodes-base into its own unit-test
		// mode: its package.json rules then skip every real package.json and other rules misfire.
		env: { ...process.env, NODE_ENV: 'production' },
	});
	const line = run.stdout.trim().split('\n').pop() ?? '';
	if (!line.startsWith('{')) throw new Error(`scanner printed no report (exit ${run.status}): ${run.stderr}`);
	return JSON.parse(line) as ScanReport;
}

beforeAll(() => {
	if (!existsSync(join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	workDir = mkdtempSync(join(tmpdir(), 'brevo-conv-pack-'));
	// A real pack, as `npm publish` would produce it (the .npmrc's ignore-scripts applies).
	const [report] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', workDir], { cwd: root, encoding: 'utf8' }),
	) as Array<{ filename: string; files: Array<{ path: string }> }>;
	packedFiles = report.files.map((file) => file.path).sort();
	unpacked = join(workDir, 'package');
	execFileSync('tar', ['-xzf', join(workDir, report.filename), '-C', workDir]);
	pkg = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
	// Lets the unpacked classes resolve their peer n8n-workflow, as inside n8n's nodes folder.
	symlinkSync(join(root, 'node_modules'), join(workDir, 'node_modules'), 'dir');
});

afterAll(() => {
	if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
	it('holds only dist/, README.md, LICENSE and package.json', () => {
		const outside = packedFiles.filter(
			(path) => !path.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(path),
		);
		expect(outside).toEqual([]);
		expect(packedFiles).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
	});

	it('holds every node and credential package.json registers, each with its icons, and a codex per node', () => {
		const registered: string[] = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
		expect(registered.length).toBeGreaterThanOrEqual(2);
		for (const path of registered) {
			expect(packedFiles).toContain(path);
			// n8n's loader takes the class named like the file: dist/x/Foo.node.js → Foo.
			const className = basename(path).split('.')[0];
			const Exported = (require(join(unpacked, path)) as Record<string, new () => any>)[className];
			expect(typeof Exported).toBe('function');
			const instance = new Exported();
			const icon = instance.description?.icon ?? instance.icon;
			expect(icon).toEqual({ light: expect.stringMatching(/^file:.+\.svg$/), dark: expect.stringMatching(/^file:.+\.dark\.svg$/) });
			for (const file of [icon.light, icon.dark]) {
				expect(packedFiles).toContain(join(dirname(path), file.slice('file:'.length)));
			}
			if (path.endsWith('.node.js')) expect(packedFiles).toContain(path.replace(/\.js$/, '.json'));
		}
	});

	it('holds no tests, sources or secrets', () => {
		expect(packedFiles.filter((path) => /\.test\.|\.ts$(?<!\.d\.ts)|\.env|\.tgz$|(^|\/)test\//.test(path))).toEqual([]);
	});
});

describe('package.json, as published', () => {
	it('names and describes the package for the n8n community node registry', () => {
		expect(pkg.name).toBe('n8n-nodes-brevo-conversations');
		expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
		expect(typeof pkg.description).toBe('string');
		expect(pkg.description.length).toBeGreaterThan(20);
		expect(pkg.keywords).toEqual(
			expect.arrayContaining(['n8n-community-node-package', 'brevo', 'sendinblue', 'conversations', 'chat']),
		);
	});

	it('is MIT licensed, with the licence text shipped', () => {
		expect(pkg.license).toBe('MIT');
		expect(readFileSync(join(unpacked, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} \S/);
	});

	it('names an author with name and email, a homepage and the repository', () => {
		expect(pkg.author).toEqual({ name: expect.any(String), email: expect.stringMatching(/^[^@\s]+@[^@\s]+\.[a-z]+$/) });
		expect(pkg.author.name.trim()).not.toBe('');
		expect(pkg.homepage).toBe(`https://github.com/${REPOSITORY}#readme`);
		expect(pkg.repository).toEqual({ type: 'git', url: `git+https://github.com/${REPOSITORY}.git` });
	});

	it('publishes dist/ only and registers its nodes and credentials in the n8n section', () => {
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		expect(pkg.n8n.strict).toBe(true);
		expect(pkg.n8n.credentials).toEqual([
			'dist/credentials/BrevoConversationsApi.credentials.js',
			'dist/credentials/BrevoConversationsWebhookApi.credentials.js',
		]);
		expect(pkg.n8n.nodes).toEqual(expect.arrayContaining(['dist/nodes/BrevoConversations/BrevoConversations.node.js']));
		for (const path of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(path).toMatch(/^dist\/.+\.js$/);
	});

	it('has no runtime dependencies, n8n-workflow as its only peer, no overrides', () => {
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg).not.toHaveProperty('dependencies');
		expect(pkg).not.toHaveProperty('optionalDependencies');
		expect(pkg).not.toHaveProperty('bundleDependencies');
		expect(pkg).not.toHaveProperty('bundledDependencies');
		expect(pkg).not.toHaveProperty('overrides');
	});

	it('runs no code on install', () => {
		const lifecycle = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];
		expect(Object.keys(pkg.scripts ?? {}).filter((name) => lifecycle.includes(name))).toEqual([]);
		expect(packedFiles).not.toContain('binding.gyp');
	});
});

describe("n8n's package scanner (@n8n/scan-community-package)", () => {
	// analyzePackageByName also checks npm provenance and fetches the source commit the provenance
	// attestation names: both need the package published from CI (see .github/workflows/publish.yml).
	// That part cannot run before a release and is not tested here; the two lint legs below are the
	// scanner's own analyzePackage calls.

	it('passes on the source (package.json, nodes/, credentials/)', () => {
		const report = scan('source', root);
		expect(report.files).toEqual(
			expect.arrayContaining(['package.json', 'credentials/BrevoConversationsApi.credentials.ts', 'nodes/BrevoConversations/BrevoConversations.node.ts']),
		);
		expect({ message: report.message, details: report.details }).toEqual({ message: null, details: null });
		expect(report.passed).toBe(true);
	});

	it('passes on the unpacked npm tarball (dist/**/*.js and package.json)', () => {
		const report = scan('tarball', unpacked);
		expect(report.files).toEqual(
			expect.arrayContaining(['package.json', 'dist/nodes/BrevoConversations/BrevoConversations.node.js', 'dist/credentials/BrevoConversationsApi.credentials.js']),
		);
		expect({ message: report.message, details: report.details }).toEqual({ message: null, details: null });
		expect(report.passed).toBe(true);
	});

	it('does fail a tarball that breaks its rules (the scan is not vacuous)', () => {
		const broken = join(workDir, 'broken');
		cpSync(unpacked, broken, { recursive: true });
		writeFileSync(
			join(broken, 'package.json'),
			JSON.stringify({ ...pkg, keywords: ['brevo'], dependencies: { axios: '1.0.0' }, overrides: { axios: '1.0.0' } }, null, 2),
		);
		const node = join(broken, 'dist', 'nodes', 'BrevoConversations', 'BrevoConversations.node.js');
		writeFileSync(node, `${readFileSync(node, 'utf8')}\nconsole.log(process.env);\n`);
		const report = scan('tarball', broken);
		expect(report.passed).toBe(false);
		const rules = [
			'@n8n/community-nodes/no-runtime-dependencies',
			'@n8n/community-nodes/no-overrides-field',
			'n8n-nodes-base/community-package-json-keywords-without-official-tag',
			'no-console',
			'@n8n/community-nodes/no-restricted-globals',
		];
		for (const rule of rules) {
			expect(report.details).toContain(rule);
		}
	});
});

describe('our lint (eslint.config.mjs) is at least as strict as the scanner', () => {
	function lintStdin(filename: string, text: string): string[] {
		const run = spawnSync(
			process.execPath,
			[join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--no-ignore', '--no-inline-config', '--format', 'json', '--stdin', '--stdin-filename', filename],
			{ cwd: root, input: text, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
		);
		const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null }> }>;
		return result.messages.map((message) => String(message.ruleId));
	}

	it('applies both plugins’ package.json rules to package.json', () => {
		const broken = { ...pkg, keywords: ['brevo'], dependencies: { axios: '1.0.0' }, overrides: { axios: '1.0.0' }, scripts: { postinstall: 'node x.js' } };
		expect(lintStdin('package.json', JSON.stringify(broken, null, 2))).toEqual(
			expect.arrayContaining([
				'@n8n/community-nodes/no-runtime-dependencies',
				'@n8n/community-nodes/no-overrides-field',
				'@n8n/community-nodes/no-forbidden-lifecycle-scripts',
				'n8n-nodes-base/community-package-json-keywords-without-official-tag',
			]),
		);
	});

	it('applies the scanner’s rules to the built dist/ and the n8n-nodes-base rules to the source', () => {
		expect(lintStdin('dist/nodes/X/X.node.js', 'console.log(process.env.HOME); eval("1");\n')).toEqual(
			expect.arrayContaining(['no-console', '@n8n/community-nodes/no-restricted-globals', '@n8n/community-nodes/no-dangerous-functions']),
		);
		const source = readFileSync(join(root, 'credentials', 'BrevoConversationsApi.credentials.ts'), 'utf8');
		expect(lintStdin('credentials/BrevoConversationsApi.credentials.ts', source.replace("displayName = 'Brevo Conversations API'", "displayName = 'brevo conversations'"))).toEqual(
			expect.arrayContaining(['n8n-nodes-base/cred-class-field-display-name-missing-api']),
		);
	});
});

describe('codex files (*.node.json), as published', () => {
	const README_URL = `https://github.com/${REPOSITORY}#`;
	// GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens.
	const anchors = () =>
		readFileSync(join(unpacked, 'README.md'), 'utf8')
			.split('\n')
			.filter((line) => /^#{1,6} /.test(line))
			.map((line) => line.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'));

	it('each registered node has a codex naming it, in Communication, with documentation links to README sections', () => {
		for (const path of pkg.n8n.nodes as string[]) {
			const codex = JSON.parse(readFileSync(join(unpacked, path.replace(/\.js$/, '.json')), 'utf8'));
			const { description } = new (require(join(unpacked, path))[basename(path).split('.')[0]])();
			expect(codex.node).toBe(`${pkg.name}.${description.name}`);
			expect(codex.categories).toContain('Communication');
			const urls: string[] = Object.values(codex.resources as Record<string, Array<{ url: string }>>).flat().map((r) => r.url);
			expect(urls.length).toBeGreaterThan(0);
			for (const url of urls) {
				expect(url.startsWith(README_URL)).toBe(true);
				expect(anchors()).toContain(url.slice(README_URL.length));
			}
		}
	});

	it('the Brevo Conversations node is found under its old name, Sendinblue', () => {
		const codex = JSON.parse(readFileSync(join(unpacked, 'dist/nodes/BrevoConversations/BrevoConversations.node.json'), 'utf8'));
		expect(codex.alias).toContain('sendinblue');
		expect(codex.resources.credentialDocumentation).toEqual([{ url: `${README_URL}credentials` }]);
		expect(codex.resources.primaryDocumentation).toEqual([{ url: `${README_URL}operations` }]);
	});
});
