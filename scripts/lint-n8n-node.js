'use strict';
/**
 * `npm run lint:n8n`: n8n's own `n8n-node lint` (@n8n/node-cli, pinned in scripts/n8n-node-cli/)
 * over what n8n loads from this package: package.json, credentials/ and nodes/. Its ESLint config is
 * n8n's default for community nodes: ESLint and typescript-eslint recommended, import-x, no-console,
 * the community-nodes rules with the n8n Cloud restrictions (no restricted globals or imports) and
 * eslint-plugin-n8n-nodes-base's node, credential and package.json rules.
 *
 * Why a staged copy: package.json says `"n8n": { "strict": true }`, and in strict mode
 * `n8n-node lint` refuses to run unless eslint.config.mjs is byte-for-byte n8n's template. Ours is
 * the stricter scanner-grade set (`npm run lint`), so the CLI runs in a temporary folder holding a
 * copy of package.json, tsconfig.json, credentials/, nodes/ and the template config from the pinned
 * CLI itself, unchanged.
 *
 * Why its own folder: every @n8n/node-cli release on the registry pulls @n8n/ai-node-sdk, which pins
 * n8n-workflow 2.39.1; as a devDependency of the package that would put a second n8n-workflow in our
 * tree (and `overrides` is forbidden in a community package.json). It installs once into
 * .cache/n8n-node-cli/ (≈ 2 min, ~600 packages), reused while its lockfile is unchanged.
 *
 * Fails on any error and on any warning but the ones listed in ACCEPTED.
 */
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { stripVTControlCharacters } = require('node:util');
const { installOnce, run, CACHE, ROOT } = require('../e2e/runtime');

const SOURCE = path.join(__dirname, 'n8n-node-cli');
const INSTALL_DIR = path.join(CACHE, 'n8n-node-cli');
const CLI_DIR = path.join(INSTALL_DIR, 'node_modules', '@n8n', 'node-cli');
const STAGED = ['package.json', 'tsconfig.json', 'credentials', 'nodes'];

/**
 * Findings reviewed and accepted. Each is matched on file, rule and message, never on a line number.
 *
 * credential-unnecessary-password flags a password field whose name is not on its list of secret-like
 * names ("apikey" is, "partnerkey" is not). Brevo's partner key IS a secret: it authenticates a
 * partner account's requests in the `partner-key` header exactly as `api-key` does. The field keeps
 * its name (it mirrors the header and is the credential's public API: renaming it would break saved
 * credentials) and stays masked.
 */
const ACCEPTED = [
	{
		file: 'credentials/BrevoConversationsApi.credentials.ts',
		rule: '@n8n/community-nodes/credential-unnecessary-password',
		message: /'partnerKey'/,
	},
];

const log = (message) => process.stderr.write(`[lint:n8n] ${message}\n`);

async function ensureCli() {
	const files = ['package.json', 'package-lock.json'];
	const stamp = createHash('sha256')
		.update(files.map((f) => fs.readFileSync(path.join(SOURCE, f))).join('\0'))
		.digest('hex');
	await installOnce(INSTALL_DIR, stamp, '@n8n/node-cli', async () => {
		fs.mkdirSync(INSTALL_DIR, { recursive: true });
		for (const f of files) fs.copyFileSync(path.join(SOURCE, f), path.join(INSTALL_DIR, f));
		const args = ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
		await run('npm', args, { cwd: INSTALL_DIR, env: process.env });
	});
}

function stage() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-n8n-node-lint-'));
	for (const entry of STAGED) fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
	const template = path.join(CLI_DIR, 'dist', 'template', 'templates', 'shared', 'default', 'eslint.config.mjs');
	fs.copyFileSync(template, path.join(dir, 'eslint.config.mjs'));
	fs.symlinkSync(path.join(INSTALL_DIR, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	return dir;
}

/** Runs `n8n-node lint` in `cwd`; resolves its exit code and its output (stdout then stderr). */
function n8nNodeLint(cwd) {
	return new Promise((resolve, reject) => {
		const bin = path.join(CLI_DIR, 'bin', 'n8n-node.mjs');
		const child = spawn(process.execPath, [bin, 'lint'], { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		const out = [];
		const err = [];
		child.stdout.on('data', (d) => out.push(d));
		child.stderr.on('data', (d) => err.push(d));
		const timer = setTimeout(() => child.kill('SIGKILL'), 5 * 60 * 1000);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code: code ?? signal, output: Buffer.concat([...out, ...err]).toString() });
		});
	});
}

/**
 * The findings in ESLint's default (stylish) report, colours removed: a file's absolute path on a
 * line, then one indented `line:column  severity  message  rule` line per finding; the
 * `✖ N problems (E errors, W warnings)` summary line counts them. Files are made relative to `dir`.
 */
function parseStylish(text, dir) {
	const findings = [];
	let file = null;
	let summary = null;
	for (const line of text.split('\n')) {
		const finding = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.*?)\s+(\S+)$/.exec(line);
		const total = /✖ (\d+) problems? \((\d+) errors?, (\d+) warnings?\)/.exec(line);
		if (finding) findings.push({ file, line: Number(finding[1]), severity: finding[3], message: finding[4], rule: finding[5] });
		else if (total) summary = { problems: Number(total[1]), errors: Number(total[2]), warnings: Number(total[3]) };
		else if (path.isAbsolute(line.trim())) file = path.relative(dir, line.trim());
	}
	return { findings, summary };
}

const isAccepted = (f) =>
	f.severity === 'warning' && ACCEPTED.some((a) => a.file === f.file && a.rule === f.rule && a.message.test(f.message));

async function main() {
	await ensureCli();
	const dir = fs.realpathSync(stage());
	try {
		const { code, output } = await n8nNodeLint(dir);
		const text = stripVTControlCharacters(output);
		// Paths as in the repository, not in the temporary copy.
		process.stdout.write(text.split(`${dir}/`).join(''));
		const { findings, summary } = parseStylish(text, dir);
		const unexpected = findings.filter((f) => !isAccepted(f));
		const errors = findings.filter((f) => f.severity === 'error').length;
		const failures = [];
		if (code !== 0) failures.push(`n8n-node lint exited ${code}`);
		if ((summary?.problems ?? 0) !== findings.length) {
			failures.push(`ESLint counted ${summary?.problems ?? 0} problems, this script read ${findings.length}: did its report format change?`);
		}
		if (unexpected.length) failures.push(`${unexpected.length} finding(s) not in ACCEPTED (scripts/lint-n8n-node.js)`);
		for (const a of ACCEPTED.filter((a) => !findings.some((f) => f.file === a.file && f.rule === a.rule))) {
			log(`note: the accepted ${a.rule} on ${a.file} no longer fires; remove it from ACCEPTED`);
		}
		console.log(
			`n8n-node lint: ${errors} errors, ${findings.length - errors} warnings (${findings.length - unexpected.length} accepted) in package.json, credentials/ and nodes/`,
		);
		if (failures.length) {
			log(`FAILED: ${failures.join('; ')}`);
			process.exitCode = 1;
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	log(error.stack ?? String(error));
	process.exit(1);
});
