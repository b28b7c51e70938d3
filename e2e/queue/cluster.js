'use strict';
/**
 * n8n in queue mode on one machine: a main process, workers and a webhook process, as an operator
 * runs them, on Postgres and Redis from services.js. Shared by `npm run test:queue` and the bench.
 *
 *   const cluster = await startCluster({ runtime, tgz, postgres, redis, setUp, workers: 2 });
 *   cluster.webhookUrl(path, i) the production URL of a webhook path on webhook process i (default 0;
 *                              `webhookProcesses: 2` starts two, each on its own port, as behind a load balancer)
 *   cluster.workers            [{ name, pid, log() }, …]: which worker ran what is in its log
 *   cluster.query(sql, args)   rows from n8n's Postgres database (n8n's own `pg` module)
 *   await cluster.kill(worker) SIGKILL, as a crash would (its task runner stays: see stop())
 *   await cluster.stop()       every n8n process and task runner it started, by PID
 *   new N8nProcess(...)        one n8n process that keeps track of its task runners (used above)
 *
 * Each process has its own user folder with the packed package installed in it (a shared folder
 * makes the processes write the same event log), its own ports (HTTP, task broker, worker health
 * check) and the same N8N_ENCRYPTION_KEY. Start order, measured on 2.40.7 and 2.41.1: import and
 * publish with the main's environment, start main (it runs the migrations and registers the
 * production webhooks in `webhook_entity`), then the workers, then the webhook process.
 */
const { spawn } = require('node:child_process');
const { createRequire } = require('node:module');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fakeBrevoN8nEnv, freePort, installPackage, runN8nOk, waitFor } = require('../n8n');

const say = (message) => process.stderr.write(`[queue] ${message}\n`);
const ENCRYPTION_KEY = 'queue-mode-shared-encryption-key-0123456789';

/** /proc/<pid>/stat: parent PID and start time (the pair tells a process from a later one with its PID). */
function procStat(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return { ppid: Number(fields[1]), startTime: fields[19] };
	} catch {
		return undefined;
	}
}

/** All living descendants of `pid` (n8n's task runners and whatever they start). */
function descendantsOf(pid) {
	const parents = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = procStat(entry);
		if (stat) parents.set(Number(entry), stat);
	}
	const found = [];
	const walk = (parent) => {
		for (const [child, stat] of parents) {
			if (stat.ppid === parent) {
				found.push({ pid: child, startTime: stat.startTime });
				walk(child);
			}
		}
	};
	walk(pid);
	return found;
}

const sameProcessAlive = ({ pid, startTime }) => procStat(pid)?.startTime === startTime;

class N8nProcess {
	/** `nodeArgs`: options for Node itself, e.g. --cpu-prof (which Node 20 refuses in NODE_OPTIONS). */
	constructor(name, runtime, env, args, logFile, nodeArgs = []) {
		this.name = name;
		this.env = env;
		this.logFile = logFile;
		this.output = '';
		this.child = spawn(runtime.nodeBin, [...nodeArgs, runtime.n8nBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		this.pid = this.child.pid;
		this.exited = new Promise((resolve) => this.child.once('exit', resolve));
		const append = (d) => {
			this.output += d;
			fs.appendFileSync(logFile, d);
		};
		this.child.stdout.on('data', append);
		this.child.stderr.on('data', append);
		/** Task runners seen under this process: they outlive a SIGKILL of their parent. */
		this.descendants = new Map();
		this.watch = setInterval(() => this.noteDescendants(), 500);
	}

	get alive() {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	log() {
		return this.output;
	}

	noteDescendants() {
		if (!this.alive) return;
		for (const d of descendantsOf(this.pid)) this.descendants.set(`${d.pid}:${d.startTime}`, d);
	}

	checkAlive() {
		if (!this.alive) throw new Error(`n8n ${this.name} exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.output.slice(-4000)}`);
	}

	/** Stops the process, then the task runners it left; resolves how many of those were still running. */
	async stop(signal = 'SIGTERM') {
		this.noteDescendants();
		clearInterval(this.watch);
		if (this.alive) {
			process.kill(this.pid, signal);
			const timer = setTimeout(() => this.alive && process.kill(this.pid, 'SIGKILL'), 30000);
			await this.exited;
			clearTimeout(timer);
		}
		return stopDescendants(this.descendants.values());
	}

	/** What a crash does: SIGKILL, no shutdown. The task runners it started keep running. */
	async kill() {
		this.noteDescendants();
		process.kill(this.pid, 'SIGKILL');
		await this.exited;
	}
}

async function stopDescendants(list) {
	const alive = [...list].filter(sameProcessAlive);
	for (const d of alive) process.kill(d.pid, 'SIGTERM');
	await waitFor(() => !alive.some(sameProcessAlive), 10000, 'task runners to stop').catch(() => {
		for (const d of alive) if (sameProcessAlive(d)) process.kill(d.pid, 'SIGKILL');
	});
	return alive.length;
}

/**
 * Starts the cluster. `setUp(mainEnv)` imports credentials and workflows and publishes them (run
 * before main starts; it gets a `runN8n`-ready environment). Resolves once every process is ready
 * and the webhook process serves `readyPath` (a production webhook path of an active workflow).
 */
async function startCluster({ runtime, tgz, postgres, redis, setUp, webhookPaths, workers = 2, webhookProcesses = 1, concurrency = 10, extraEnv = {} }) {
	const base = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-queue-n8n-'));
	const webhookNames = Array.from({ length: webhookProcesses }, (_, i) => (i === 0 ? 'webhook' : `webhook${i + 1}`));
	const names = ['main', ...Array.from({ length: workers }, (_, i) => `worker${i + 1}`), ...webhookNames];
	const folders = Object.fromEntries(names.map((name) => [name, path.join(base, name)]));
	await Promise.all(names.map((name) => installPackage(runtime, folders[name], tgz)));
	const envOf = async (name, extra = {}) =>
		fakeBrevoN8nEnv(runtime, folders[name], {
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_LOG_LEVEL: 'info', // the workers log "Worker started execution <id> (job <id>)" at info
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_DATABASE: postgres.database,
			...extraEnv,
			...extra,
		});
	const cluster = new Cluster(runtime, base, postgres);
	const began = Date.now();
	const phase = (what) => say(`${what} after ${((Date.now() - began) / 1000).toFixed(1)} s`);
	try {
		const mainEnv = await envOf('main');
		await setUp(mainEnv, (args) => runN8nOk(runtime, mainEnv, args));
		phase('packages installed, workflows imported');
		const main = cluster.spawn('main', mainEnv, ['start']);
		cluster.main = main;
		const mainUrl = `http://127.0.0.1:${mainEnv.N8N_PORT}`;
		await waitFor(
			async () => (main.checkAlive(), fetch(`${mainUrl}/healthz/readiness`).then((r) => r.ok, () => false)),
			180000,
			'n8n main to be ready',
			250,
		);
		// Main registers the production webhooks after it reports ready; the webhook process looks them up here.
		await waitFor(
			async () => {
				main.checkAlive();
				const rows = await cluster.query('SELECT "webhookPath" FROM webhook_entity');
				return webhookPaths.every((p) => rows.some((r) => r.webhookPath === p));
			},
			60000,
			'the production webhooks in webhook_entity',
			250,
		);
		phase('main ready, webhooks registered');
		for (let i = 1; i <= workers; i++) {
			const healthPort = await freePort();
			const env = await envOf(`worker${i}`, { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) });
			const worker = cluster.spawn(`worker${i}`, env, ['worker', `--concurrency=${concurrency}`]);
			worker.healthUrl = `http://127.0.0.1:${healthPort}/healthz/readiness`;
			cluster.workers.push(worker);
		}
		for (const name of webhookNames) {
			const webhookEnv = await envOf(name);
			const webhookProcess = cluster.spawn(name, webhookEnv, ['webhook']);
			cluster.webhooks.push({ process: webhookProcess, base: `http://127.0.0.1:${webhookEnv.N8N_PORT}` });
		}
		cluster.webhook = cluster.webhooks[0].process;
		cluster.webhookBase = cluster.webhooks[0].base;
		for (const worker of cluster.workers) {
			await waitFor(async () => (worker.checkAlive(), fetch(worker.healthUrl).then((r) => r.ok, () => false)), 120000, `${worker.name} to be ready`, 250);
		}
		for (const { process: webhookProcess, base } of cluster.webhooks) {
			await waitFor(
				async () => (webhookProcess.checkAlive(), fetch(`${base}/healthz/readiness`).then((r) => r.ok, () => false)),
				120000,
				`the ${webhookProcess.name} process to be ready`,
				250,
			);
		}
		phase('workers and webhook process ready');
		say(`main ${main.pid}, ${[...cluster.workers, ...cluster.webhooks.map((w) => w.process)].map((p) => `${p.name} ${p.pid}`).join(', ')}; logs in ${base}`);
		return cluster;
	} catch (error) {
		await cluster.stop();
		throw error;
	}
}

class Cluster {
	constructor(runtime, base, postgres) {
		this.runtime = runtime;
		this.base = base;
		this.processes = [];
		this.workers = [];
		/** The webhook processes: [{ process, base }], the first also as `webhook` and `webhookBase` */
		this.webhooks = [];
		const { Pool } = createRequire(runtime.n8nBin)('pg');
		this.pool = new Pool({ host: '127.0.0.1', port: postgres.port, user: postgres.user, database: postgres.database, max: 2 });
	}

	spawn(name, env, args) {
		const started = new N8nProcess(name, this.runtime, env, args, path.join(this.base, `${name}.log`));
		this.processes.push(started);
		return started;
	}

	/** The production URL of a webhook path on one of the webhook processes (the first by default). */
	webhookUrl(webhookPath, index = 0) {
		return `${this.webhooks[index].base}/webhook/${webhookPath}`;
	}

	async query(sql, params = []) {
		return (await this.pool.query(sql, params)).rows;
	}

	/** Executions of a workflow with the worker that ran each (from the workers' logs). */
	async executions(workflowId) {
		const rows = await this.query('SELECT id, status, finished, mode FROM execution_entity WHERE "workflowId" = $1 ORDER BY id', [workflowId]);
		return rows.map((row) => ({ ...row, id: String(row.id), workers: this.workersOf(String(row.id)) }));
	}

	/** Whether n8n's stored data of an execution still holds what its trigger output (the event). */
	async keepsTriggerOutput(executionId) {
		const [row] = await this.query('SELECT data FROM execution_data WHERE "executionId" = $1', [executionId]);
		const data = row && createRequire(this.runtime.n8nBin)('flatted').parse(row.data);
		return Object.keys(data?.resultData?.runData ?? {}).length > 0;
	}

	/** The workers whose log says they started this execution (JobProcessor logs it when it takes the job). */
	workersOf(executionId) {
		const line = new RegExp(`Worker started execution ${executionId} \\(job `);
		return this.workers.filter((w) => line.test(w.log())).map((w) => w.name);
	}

	async stop() {
		// Webhook process and workers first (no new work), then main; each with its task runners.
		let leftovers = 0;
		for (const p of [...this.processes].reverse()) leftovers += await p.stop();
		const runners = new Set(this.processes.flatMap((p) => [...p.descendants.keys()])).size;
		say(`stopped ${this.processes.length} n8n processes and ${runners} child processes (task runners) by PID, ${leftovers} of them still running after their n8n process had stopped`);
		await this.pool.end().catch(() => {});
		if (process.env.E2E_KEEP) say(`kept ${this.base}`);
		else fs.rmSync(this.base, { recursive: true, force: true });
	}
}

module.exports = { startCluster, N8nProcess, descendantsOf, ENCRYPTION_KEY };
