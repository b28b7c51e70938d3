'use strict';
/**
 * Postgres and Redis for a queue-mode n8n on this machine, from Debian's packages, each run as a
 * plain child process on 127.0.0.1 with a throwaway data folder (never the system services):
 *
 *   ensureServerPackages()   the binaries; as root, `apt-get install`s what is missing
 *   startPostgres(bin)       → { pid, port, user, database, dir, stop() }   (initdb + postgres)
 *   startRedis(bin)          → { pid, port, dir, stop() }
 *
 * Each gets its own temporary folder (data and log), removed by stop() unless E2E_KEEP is set.
 * Postgres refuses to run as root, so as root it runs as Debian's `postgres` user (created by the
 * package) and its data folder is handed to that user. Every start and stop is bounded.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const { exec, freePort, waitFor } = require('../n8n');

const say = (message) => process.stderr.write(`[queue] ${message}\n`);
const PG_ROOT = '/usr/lib/postgresql';
const DB_USER = 'n8n';

/** The newest Postgres installed by Debian's packages, e.g. /usr/lib/postgresql/15/bin; undefined if none. */
function postgresBin() {
	if (!fs.existsSync(PG_ROOT)) return undefined;
	const versions = fs
		.readdirSync(PG_ROOT)
		.filter((v) => fs.existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(PG_ROOT, versions[0], 'bin') : undefined;
}

function redisBin() {
	const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * The Postgres and Redis binaries. Missing ones are installed with apt-get (as root, which CI is);
 * otherwise the error says what to install. Debian 12 has Postgres 15 and Redis 7.0.
 */
async function ensureServerPackages() {
	const missing = [];
	if (!postgresBin()) missing.push('postgresql');
	if (!redisBin()) missing.push('redis-server');
	if (missing.length) {
		if (process.getuid?.() !== 0) {
			throw new Error(`queue mode needs ${missing.join(' and ')}: run \`sudo apt-get install -y ${missing.join(' ')}\` (or run this as root)`);
		}
		say(`installing ${missing.join(', ')} with apt-get…`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		await exec('apt-get', ['update'], { env, timeoutMs: 5 * 60 * 1000 });
		await exec('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, timeoutMs: 10 * 60 * 1000 });
	}
	const pg = postgresBin();
	const redis = redisBin();
	if (!pg || !redis) throw new Error(`after apt-get: postgres ${pg ?? 'missing'}, redis-server ${redis ?? 'missing'}`);
	return { postgres: pg, redis };
}

/** The uid/gid to run Postgres as: Debian's `postgres` user when we are root, else ourselves. */
function postgresUser() {
	if (process.getuid?.() !== 0) return {};
	const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
	const uid = id('-u');
	const gid = id('-g');
	if (!Number.isInteger(uid) || uid === 0) throw new Error('running as root, but there is no `postgres` user to run Postgres as');
	return { uid, gid };
}

function chownTree(dir, { uid, gid }) {
	if (uid === undefined) return;
	fs.chownSync(dir, uid, gid);
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) chownTree(full, { uid, gid });
		else fs.chownSync(full, uid, gid);
	}
}

const canConnect = (port) =>
	new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('error', () => resolve(false));
	});

/** A child process that logs into `logFile` and is stopped by its PID: `signal`, then SIGKILL after `graceMs`. */
function startProcess(command, args, { logFile, ...options }) {
	const log = fs.openSync(logFile, 'a');
	const child = spawn(command, args, { ...options, stdio: ['ignore', log, log] });
	fs.closeSync(log);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.on('error', (error) => say(`${command}: ${error.message}`));
	return { child, exited };
}

async function stopProcess({ child, exited }, signal, graceMs = 15000) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	process.kill(child.pid, signal);
	const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

function removeUnlessKept(dir) {
	if (process.env.E2E_KEEP) say(`kept ${dir}`);
	else fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A throwaway Postgres cluster: trust authentication for user `n8n` on 127.0.0.1 only, no fsync
 * (the data is thrown away), its Unix socket in the data folder.
 */
async function startPostgres(bin) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-queue-pg-'));
	const data = path.join(dir, 'data');
	fs.mkdirSync(data, { mode: 0o700 });
	const logFile = path.join(dir, 'postgres.log');
	fs.writeFileSync(logFile, '');
	const owner = postgresUser();
	chownTree(dir, owner);
	const asOwner = { ...owner, env: { ...process.env, LC_ALL: 'C' } };
	await new Promise((resolve, reject) => {
		const child = spawn(path.join(bin, 'initdb'), ['-D', data, '-U', DB_USER, '--auth=trust', '-E', 'UTF8', '--no-instructions'], {
			...asOwner,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), 120000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			if (code === 0) resolve();
			else reject(new Error(`initdb failed (exit ${code}):\n${output}`));
		});
	});
	const port = await freePort();
	const proc = startProcess(
		path.join(bin, 'postgres'),
		['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${data}`, '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
		{ ...asOwner, logFile },
	);
	await waitFor(
		async () => {
			if (proc.child.exitCode !== null) throw new Error(`postgres exited (${proc.child.exitCode}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
			return /ready to accept connections/.test(fs.readFileSync(logFile, 'utf8')) && canConnect(port);
		},
		60000,
		'Postgres to accept connections',
		200,
	);
	say(`Postgres ${path.basename(path.dirname(bin))} (pid ${proc.child.pid}) on 127.0.0.1:${port}`);
	// SIGINT is Postgres's "fast shutdown": it ends the sessions and stops.
	const stop = async () => {
		await stopProcess(proc, 'SIGINT');
		removeUnlessKept(dir);
	};
	return { pid: proc.child.pid, port, user: DB_USER, database: 'postgres', dir, logFile, stop };
}

/** A Redis with no persistence, on 127.0.0.1, as our own child process. */
async function startRedis(bin) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-queue-redis-'));
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const proc = startProcess(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { logFile });
	await waitFor(
		async () => {
			if (proc.child.exitCode !== null) throw new Error(`redis-server exited (${proc.child.exitCode}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
			return /Ready to accept connections/.test(fs.readFileSync(logFile, 'utf8')) && canConnect(port);
		},
		30000,
		'Redis to accept connections',
		100,
	);
	say(`Redis (pid ${proc.child.pid}) on 127.0.0.1:${port}`);
	const stop = async () => {
		await stopProcess(proc, 'SIGTERM');
		removeUnlessKept(dir);
	};
	return { pid: proc.child.pid, port, dir, logFile, stop };
}

module.exports = { ensureServerPackages, startPostgres, startRedis, startProcess, stopProcess };
