'use strict';
/**
 * Helpers to run this package inside a real n8n (see runtime.js for the n8n itself), shared by
 * `npm start` (e2e/start.js) and the e2e tests:
 *
 *   packPackage()                          build + `npm pack` → absolute path of the .tgz
 *   installPackage(runtime, userFolder, tgz)  install it into that n8n home with the README's manual install command
 *   homeWithPackage(runtime, prefix)       a new temporary n8n home with the freshly packed package installed
 *   n8nEnv(runtime, userFolder, extra)     the environment of a local, headless, private n8n
 *   fakeBrevoN8nEnv(runtime, userFolder, extra)  the same, for one against the fake Brevo server
 *   waitFor(check, ms, what)               polls until `check` gives a value, bounded
 *   runN8n(runtime, env, args, options)    run one n8n CLI command, bounded by a timeout
 *   freePort()                             a free TCP port on 127.0.0.1
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('./runtime');

const log = (message) => process.stderr.write(`[n8n] ${message}\n`);

/** Runs a command to completion; rejects with its output tail on failure. */
function exec(command, args, { cwd = ROOT, env = process.env, timeoutMs = 5 * 60 * 1000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) return resolve({ stdout, stderr });
			const tail = (stdout + stderr).split('\n').slice(-30).join('\n');
			reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail}`));
		});
	});
}

/**
 * Builds the package and packs it as npm would publish it; returns the tarball's path (in a new
 * temporary folder, so concurrent callers do not share one).
 */
async function packPackage() {
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-pack-'));
	log('building the package (npm run build)…');
	await exec('npm', ['run', 'build', '--silent']);
	const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', destination]);
	const [{ filename }] = JSON.parse(stdout);
	const tgz = path.join(destination, path.basename(filename));
	log(`packed ${tgz}`);
	return tgz;
}

/**
 * The flags of the README's manual install command (`npm install n8n-nodes-brevo-conversations
 * --legacy-peer-deps`, a test checks the README says exactly this). Without them npm ≥ 7 installs the
 * peer dependency n8n-workflow next to the package, a second copy beside n8n's own: measured with npm
 * 11 on Node 20, it pulled n8n-workflow 2.41 and failed building its native isolated-vm (79 s);
 * `--omit=peer` still resolves that tree from the registry (18 s), `--legacy-peer-deps` skips it (1 s).
 */
const MANUAL_INSTALL_FLAGS = ['--legacy-peer-deps'];

/**
 * Installs the tarball with the README's manual install command, the package name replaced by the
 * tarball: into `<userFolder>/.n8n/nodes` (a package.json there keeps npm from walking up to this
 * repository's own package.json), run with the npm of the Node that n8n runs on.
 */
async function installPackage(runtime, userFolder, tgz) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pkg = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, JSON.stringify({ name: 'installed-nodes', private: true }) + '\n');
	await exec('npm', ['install', tgz, ...MANUAL_INSTALL_FLAGS], { cwd: nodesDir, env: { ...process.env, ...runtime.env } });
	log(`installed ${path.basename(tgz)} into ${nodesDir}`);
}

/**
 * A new n8n home in the temporary folder (named `<prefix>XXXXXX`) holding the package as a user
 * installs it: built, packed and installed from the tarball, which is removed afterwards.
 */
async function homeWithPackage(runtime, prefix) {
	const tgz = await packPackage();
	const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	try {
		await installPackage(runtime, home, tgz);
	} finally {
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	}
	return home;
}

/** Whether n8n `version` has the mcp-registry module (checked: 2.40.7 and 2.41.1 do, 2.8.4 and 1.123.0 do not). */
function hasMcpRegistry(version) {
	const [major, minor] = version.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 40);
}

/** A local, headless n8n that phones nobody: sqlite, 127.0.0.1, no telemetry, no version checks. */
function n8nEnv(runtime, userFolder, extra = {}) {
	const env = { ...process.env };
	// Settings that `npm run` or a developer's shell may carry must not leak into n8n.
	for (const name of Object.keys(env)) if (/^(N8N_|DB_|npm_)/.test(name)) delete env[name];
	return {
		...env,
		...runtime.env,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// n8n 2.x fetches its list of verified community nodes from api.n8n.io at start-up; offline
		// that logs `getaddrinfo ENOTFOUND api.n8n.io`. This package is installed from its tarball.
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		// n8n 2.40+ also refreshes its MCP server registry from api.n8n.io (a system task that logs the
		// ENOTFOUND with its stack). 2.8.4 and 1.x lack that module and refuse to start when an
		// unknown module is named, hence only where it exists.
		...(hasMcpRegistry(runtime.version) ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		// n8n 2.41 prints a deprecation notice for each of these while unset, because their default
		// will change; set to today's default (the same in 2.8.4 and 1.123.0), nothing changes.
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(2 * 1024 ** 3),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '5000',
		// What still prints, and why it must: n8n's internal task runner mode always tries to start a
		// Python runner and warns once without Python 3 and n8n's venv; 2.41 calls that mode (the one
		// that needs no separate runner process) and running outside a container deprecated, and no
		// setting silences either (checked in n8n 2.41.1's task-runner-module and deprecation.service).
		N8N_LOG_OUTPUT: 'console',
		...extra,
	};
}

/**
 * `n8nEnv` for a throwaway n8n that talks to the fake Brevo server: its own free ports, SSRF
 * protection off (the fake listens on 127.0.0.1, which it would refuse), and no environment
 * access from nodes (as on a hardened instance).
 */
async function fakeBrevoN8nEnv(runtime, userFolder, extra = {}) {
	return n8nEnv(runtime, userFolder, {
		N8N_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		...extra,
	});
}

/** Polls `check` every `everyMs` until it returns a truthy value, for at most `ms`; then fails naming `what`. */
async function waitFor(check, ms, what, everyMs = 100) {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

/** Runs `n8n <args>` to completion; resolves {code, stdout, stderr} (a non-zero exit is not an error). */
function runN8n(runtime, env, args, { timeoutMs = 3 * 60 * 1000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(runtime.nodeBin, [runtime.n8nBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			if (timedOut) return reject(new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms:\n${stdout}${stderr}`));
			resolve({ code, stdout, stderr });
		});
	});
}

/** Runs `n8n <args>` and rejects unless it exits 0. */
async function runN8nOk(runtime, env, args, options) {
	const result = await runN8n(runtime, env, args, options);
	if (result.code !== 0) {
		throw new Error(`n8n ${args.join(' ')} exited ${result.code}:\n${(result.stdout + result.stderr).slice(-3000)}`);
	}
	return result;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

module.exports = { MANUAL_INSTALL_FLAGS, packPackage, installPackage, homeWithPackage, n8nEnv, fakeBrevoN8nEnv, runN8n, runN8nOk, freePort, exec, waitFor };
