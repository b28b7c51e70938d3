'use strict';
/**
 * A running n8n (`n8n start`) for the e2e suites that need its production webhooks, and what it
 * recorded in its own database:
 *
 *   startN8n(runtime, env, onOutput)          `n8n start` on free ports → { child, baseUrl } once ready
 *   stopN8n(child)                            SIGINT (n8n's clean shutdown), SIGKILL after 20 s
 *   query(runtime, dbFile, sql, params)       rows of n8n's sqlite database, read with n8n's own addon
 *   executionsOf(runtime, dbFile, workflowId) the executions n8n stored, run data decoded
 *   finishedExecutions(runtime, dbFile, workflowId, count)  waits for `count` finished ones
 */
const { spawn } = require('node:child_process');
const { createRequire } = require('node:module');
const { exec, freePort, waitFor } = require('./n8n');

/** Starts `n8n start` with `env` on free ports; resolves when /healthz/readiness answers. */
async function startN8n(runtime, env, onOutput = () => {}) {
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, 'start'], {
		env: { ...env, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let tail = '';
	const output = (d) => {
		tail = (tail + d).slice(-5000);
		onOutput(String(d));
	};
	child.stdout.on('data', output);
	child.stderr.on('data', output);
	await waitFor(
		async () => {
			if (child.exitCode !== null) throw new Error(`n8n start exited (${child.exitCode}):\n${tail}`);
			return fetch(`${baseUrl}/healthz/readiness`).then((r) => r.ok, () => false);
		},
		120000,
		'n8n start to be ready',
		200, // each check is an HTTP call
	);
	return { child, baseUrl };
}

async function stopN8n(child) {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	process.kill(child.pid, 'SIGINT');
	const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 20000);
	await exited;
	clearTimeout(timer);
}

/** Runs SQL on n8n's database with n8n's own sqlite3 addon (built for n8n's Node); rows as JSON. */
async function query(runtime, dbFile, sql, params = []) {
	const script = `
		const { createRequire } = require('node:module');
		const req = createRequire(process.argv[1]);
		const sqlite3 = req('sqlite3');
		const db = new sqlite3.Database(process.argv[2], sqlite3.OPEN_READONLY, (e) => { if (e) { console.error(e.message); process.exit(2); } });
		db.all(process.argv[3], JSON.parse(process.argv[4]), (e, rows) => {
			if (e) { console.error(e.message); process.exit(3); }
			process.stdout.write(JSON.stringify(rows));
			db.close();
		});`;
	const { stdout } = await exec(runtime.nodeBin, ['-e', script, runtime.n8nBin, dbFile, sql, JSON.stringify(params)], { timeoutMs: 30000 });
	return JSON.parse(stdout);
}

/** The executions n8n stored for a workflow, with their run data decoded (n8n stores it "flatted"). */
async function executionsOf(runtime, dbFile, workflowId) {
	const rows = await query(
		runtime,
		dbFile,
		'SELECT e.id, e.status, e.finished, e.mode, d.data FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id',
		[workflowId],
	);
	const flatted = createRequire(runtime.n8nBin)('flatted');
	return rows.map((row) => ({ ...row, data: row.data ? flatted.parse(row.data) : undefined }));
}

/** Waits until the workflow has `count` finished executions, then a little longer to catch extra ones. */
async function finishedExecutions(runtime, dbFile, workflowId, count) {
	await waitFor(
		async () => {
			const list = await executionsOf(runtime, dbFile, workflowId);
			return list.length >= count && list.every((e) => e.finished || ['success', 'error', 'crashed'].includes(e.status)) ? list : undefined;
		},
		30000,
		`${count} finished executions of ${workflowId}`,
		200, // each check is a database query in a child process
	);
	await new Promise((resolve) => setTimeout(resolve, 1500));
	return await executionsOf(runtime, dbFile, workflowId);
}

module.exports = { startN8n, stopN8n, query, executionsOf, finishedExecutions };
