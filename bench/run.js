'use strict';
/**
 * `npm run bench`: the Brevo Conversations node against n8n's HTTP Request node, in a real n8n,
 * against the fake Brevo server on 127.0.0.1. Writes bench/RESULTS.md and prints the same.
 * Variant N, the "before" figure, is a naive declarative node built as n8n's tutorial shows
 * (bench/naive/, a separate bench-only package installed next to ours; never published).
 * Not part of `npm test` or CI. See the top of bench/RESULTS.md for what is measured and how.
 *
 *   npm run bench                                  everything (≈ 15–20 min on 2 cores)
 *   npm run bench -- --runtimes=2.41.1 --n=1000 --pairs=5 --no-extras    one quick comparison
 *
 * Options (or environment variables):
 *   --runtimes=2.41.1,2.8.4   BENCH_RUNTIMES     n8n runtimes (see e2e/runtime.js; default: its newest, then 2.8.4);
 *                                                extras run on the first
 *   --n=100,1000,10000        BENCH_N            item counts
 *   --pairs=5                 BENCH_PAIRS        A/B pairs per item count below 10,000
 *   --pairs-large=2           BENCH_PAIRS_LARGE  A/B pairs at 10,000 items and more
 *   --diag-rounds=3           BENCH_DIAG_ROUNDS  rounds of the diagnostic variants (0: skip them)
 *   --no-extras                                  skip expression counts, profile, rate limit, diagnostics
 *   --out=bench/RESULTS.md                       where to write the report
 *   --compare=N,A,B           BENCH_COMPARE      only these variants (see VARIANTS), printed, no report
 *   --profile=A,B             BENCH_PROFILE      with --compare: then one --cpu-prof run of each, summarised;
 *                                                the .cpuprofile files are kept (their folder is printed)
 *   --trigger                                    instead: the trigger side (bench/trigger.js): chat events
 *                                                per second, one n8n vs queue mode, trigger vs Webhook node;
 *                                                on the first of --runtimes, else the default runtime (2.41.1)
 *   --trigger-events=100 --trigger-rounds=3 --trigger-concurrency=10 --trigger-profile
 *   --trigger-conversations=1000                 (see there)
 *   --upstream                                   instead: the proposals to n8n of docs/upstream/ (bench/upstream.js):
 *                                                A/B and trigger on the pinned runtime vs throw-away patched copies;
 *                                                --n (default 1000), --pairs (default 4), --trigger-events, --trigger-rounds
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { FakeBrevo } = require('../test/fake-brevo/server');
const { DEFAULT_VERSION, ensureRuntime, ROOT } = require('../e2e/runtime');
const { exec, fakeBrevoN8nEnv, freePort, installPackage, runN8nOk } = require('../e2e/n8n');
const { summarise } = require('./cpuprofile');

const { values: opts } = parseArgs({
	options: {
		runtimes: { type: 'string', default: process.env.BENCH_RUNTIMES },
		n: { type: 'string', default: process.env.BENCH_N },
		pairs: { type: 'string', default: process.env.BENCH_PAIRS },
		'pairs-large': { type: 'string', default: process.env.BENCH_PAIRS_LARGE ?? '2' },
		'diag-rounds': { type: 'string', default: process.env.BENCH_DIAG_ROUNDS ?? '3' },
		'no-extras': { type: 'boolean', default: false },
		out: { type: 'string', default: path.join(__dirname, 'RESULTS.md') },
		compare: { type: 'string', default: process.env.BENCH_COMPARE ?? '' },
		profile: { type: 'string', default: process.env.BENCH_PROFILE ?? '' },
		trigger: { type: 'boolean', default: false },
		'trigger-events': { type: 'string', default: '100' },
		'trigger-rounds': { type: 'string', default: '3' },
		'trigger-concurrency': { type: 'string', default: '10' },
		'trigger-profile': { type: 'boolean', default: false },
		'trigger-conversations': { type: 'string', default: '1000' },
		upstream: { type: 'boolean', default: false },
	},
});
const RUNTIMES = (opts.runtimes ?? `${DEFAULT_VERSION},2.8.4`).split(',');
const SIZES = (opts.n ?? (opts.upstream ? '1000' : '100,1000,10000')).split(',').map(Number);
const PAIRS = Number(opts.pairs ?? (opts.upstream ? '4' : '5'));
const PAIRS_LARGE = Number(opts['pairs-large']);
const DIAG_ROUNDS = Number(opts['diag-rounds']);
const EXTRAS = !opts['no-extras'];
/** A/B pairs at an item count: fewer at 10,000 items and more (each run takes about a minute). */
const pairsFor = (n) => (n >= 10000 ? PAIRS_LARGE : PAIRS);
// Quick look at a change: only these variants (letters of VARIANTS), alternately, at each N; no report.
const COMPARE = opts.compare ? opts.compare.split(',') : undefined;
const PROFILE = opts.profile ? opts.profile.split(',') : [];
const PROFILE_N = 1000;
const COUNT_N = 100;
const RATE = { items: 25, limit: 10, windowMs: 2000 };

const API_KEY = 'xkeysib-bench-0123456789';
const NODE_TYPE = 'n8n-nodes-brevo-conversations.brevoConversations';
const VISITOR_EXPR = '={{ $json.visitorId }}';
const TEXT_EXPR = '=Order {{ $json.orderId }} shipped';
const NAIVE_TYPE = 'n8n-nodes-bench-naive.naiveBrevo';
const NAIVE_DIR = path.join(__dirname, 'naive');
const CRED = { brevo: 'benchBrevoCred01', limited: 'benchBrevoLimit1', header: 'benchHeaderAuth1', naive: 'benchNaiveCred01' };
const PRELOAD = path.join(__dirname, 'preload.js');

const say = (message) => process.stderr.write(`[bench] ${message}\n`);
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, digits = 2) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));

/**
 * The variants: what the last node ("Send") of the workflow is. A and B are the comparison; N is the
 * "before" figure (counted and timed with the extras).
 */
const VARIANTS = {
	A: { label: 'A: Brevo Conversations node', node: () => brevoSend(CRED.brevo) },
	B: { label: 'B: HTTP Request node', node: (ctx) => httpSend(ctx) },
	N: { label: 'N: a naive declarative node (tutorial pattern), same call', node: () => naiveSend() },
	// Diagnostics (N = 1,000, first runtime): what changes A's cost
	P: { label: 'A with Options → Max Parallel Requests = 50', node: () => brevoSend(CRED.brevo, { options: { maxParallel: 50 } }) },
	S: { label: 'A with fixed values (no expressions)', node: () => brevoSend(CRED.brevo, { visitorId: 'visitor-x', text: 'Order shipped' }) },
	T: { label: 'B with fixed values (no expressions)', node: (ctx) => httpSend(ctx, { visitorId: 'visitor-x', text: 'Order shipped' }) },
	L: { label: 'A with N8N_EXPRESSION_ENGINE=legacy', node: () => brevoSend(CRED.brevo), env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
	M: { label: 'B with N8N_EXPRESSION_ENGINE=legacy', node: (ctx) => httpSend(ctx), env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
	R: { label: 'A through a 10-per-2-s quota', node: () => brevoSend(CRED.limited) },
};

function brevoSend(credentialId, parameters = {}) {
	return {
		type: NODE_TYPE,
		typeVersion: 1,
		parameters: { resource: 'automatedMessage', operation: 'send', visitorId: VISITOR_EXPR, text: TEXT_EXPR, options: {}, ...parameters },
		credentials: { brevoConversationsApi: { id: credentialId, name: credentialId } },
	};
}

/** bench/naive's node: Automated Message → Send, the same two fields mapped by the same expressions. */
function naiveSend() {
	return {
		type: NAIVE_TYPE,
		typeVersion: 1,
		parameters: { resource: 'automatedMessage', operation: 'send', visitorId: VISITOR_EXPR, text: TEXT_EXPR },
		credentials: { naiveBrevoApi: { id: CRED.naive, name: CRED.naive } },
	};
}

/** What a user builds with the HTTP Request node for the same call (only non-default parameters). */
function httpSend(ctx, { visitorId = VISITOR_EXPR, text = TEXT_EXPR } = {}) {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: ctx.httpVersion,
		parameters: {
			method: 'POST',
			url: `${ctx.baseUrl}/conversations/pushedMessages`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			bodyParameters: { parameters: [{ name: 'visitorId', value: visitorId }, { name: 'text', value: text }] },
			options: {},
		},
		credentials: { httpHeaderAuth: { id: CRED.header, name: 'api-key header' } },
	};
}

/** IDs are 16 characters with a digit: "bench" + variant + item count. */
const workflowId = (variant, n) => `bench${variant}${String(n).padStart(10, '0')}`;

/** Manual Trigger → Code (N items {visitorId, orderId}) → Send. */
function workflow(ctx, variant, n) {
	const jsCode = `return Array.from({ length: ${n} }, (_, i) => ({ json: { visitorId: 'visitor-' + i, orderId: 1000 + i } }));`;
	const nodes = [
		{ id: 'b0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'b0000000-0000-4000-8000-000000000002', name: 'Make Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode } },
		{ id: 'b0000000-0000-4000-8000-000000000003', name: 'Send', position: [400, 0], ...VARIANTS[variant].node(ctx) },
	];
	const connections = {
		Start: { main: [[{ node: 'Make Items', type: 'main', index: 0 }]] },
		'Make Items': { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
	};
	return { id: workflowId(variant, n), name: `bench ${variant} ${n}`, nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

/** Builds and packs the package as npm would publish it. */
async function pack() {
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-bench-pack-'));
	say('building and packing the package…');
	await exec('npm', ['run', 'build', '--silent']);
	const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', destination]);
	const [info] = JSON.parse(stdout);
	const naive = await exec('npm', ['pack', '--json', '--pack-destination', destination], { cwd: NAIVE_DIR });
	const naiveTgz = path.join(destination, path.basename(JSON.parse(naive.stdout)[0].filename));
	return { tgz: path.join(destination, path.basename(info.filename)), naiveTgz, size: info.size, unpackedSize: info.unpackedSize, files: info.entryCount };
}

/**
 * A fresh n8n home with the package and bench/naive's installed, the credentials and every workflow
 * imported. The second install keeps the first (npm saved it to the nodes folder's package.json).
 */
async function setUp(version, packed, servers, runtime = undefined) {
	runtime ??= await ensureRuntime(version);
	const home = fs.mkdtempSync(path.join(os.tmpdir(), `brevo-bench-${version}-`));
	await installPackage(runtime, home, packed.tgz);
	await installPackage(runtime, home, packed.naiveTgz);
	const env = await fakeBrevoN8nEnv(runtime, home, {
		N8N_ENCRYPTION_KEY: 'bench-fixed-encryption-key-0123456789',
		N8N_LOG_LEVEL: 'info', // `execute` prints its result through the logger, at info level
	});
	delete env.NODE_OPTIONS;
	const httpSource = fs.readFileSync(path.join(path.dirname(runtime.n8nBin), '..', '..', 'n8n-nodes-base', 'dist', 'nodes', 'HttpRequest', 'HttpRequest.node.js'), 'utf8');
	const ctx = {
		runtime,
		home,
		env,
		baseUrl: servers.baseUrl,
		httpVersion: Number(/defaultVersion:\s*([\d.]+)/.exec(httpSource)[1]),
		n8nVersion: (await runN8nOk(runtime, env, ['--version'])).stdout.trim(),
		installed: fs.readdirSync(path.join(home, '.n8n', 'nodes', 'node_modules')).filter((d) => !d.startsWith('.')),
	};
	for (const name of ['n8n-nodes-brevo-conversations', 'n8n-nodes-bench-naive']) {
		if (!ctx.installed.includes(name)) throw new Error(`${name} is not installed in ${home} (found: ${ctx.installed.join(', ')})`);
	}
	const input = path.join(home, 'input');
	fs.mkdirSync(path.join(input, 'workflows'), { recursive: true });
	const brevo = (id, baseUrl) => ({ id, name: id, type: 'brevoConversationsApi', data: { apiKey: API_KEY, partnerKey: '', baseUrl } });
	const credentials = [
		brevo(CRED.brevo, servers.baseUrl),
		brevo(CRED.limited, servers.limitedUrl),
		{ id: CRED.header, name: 'api-key header', type: 'httpHeaderAuth', data: { name: 'api-key', value: API_KEY } },
		{ id: CRED.naive, name: CRED.naive, type: 'naiveBrevoApi', data: { apiKey: API_KEY, baseUrl: servers.baseUrl } },
	];
	fs.writeFileSync(path.join(input, 'credentials.json'), JSON.stringify(credentials));
	const wanted = COMPARE ? [...SIZES.flatMap((n) => COMPARE.map((v) => [v, n])), ...PROFILE.map((v) => [v, PROFILE_N])] : [...SIZES.flatMap((n) => [['A', n], ['B', n]]), ['A', 10], ['A', COUNT_N], ['B', COUNT_N], ['A', PROFILE_N], ['B', 1000]];
	if (EXTRAS && !COMPARE) wanted.push(['N', COUNT_N], ...['N', 'P', 'S', 'T', 'L', 'M'].map((v) => [v, 1000]), ['R', RATE.items]);
	for (const [variant, n] of wanted) {
		fs.writeFileSync(path.join(input, 'workflows', `${workflowId(variant, n)}.json`), JSON.stringify(workflow(ctx, variant, n)));
	}
	await runN8nOk(runtime, env, ['import:credentials', `--input=${path.join(input, 'credentials.json')}`]);
	await runN8nOk(runtime, env, ['import:workflow', '--separate', `--input=${path.join(input, 'workflows')}`]);
	return ctx;
}

/** Peak RSS of the n8n process: from /usr/bin/time when present, else by polling VmHWM. */
const HAVE_TIME = fs.existsSync('/usr/bin/time');

/**
 * One `n8n execute` of a bench workflow in its own process. Returns the Send node's run (from n8n's
 * run data), the requests the server got meanwhile and n8n's peak RSS. Fails loudly on anything odd.
 */
async function execute(ctx, server, variant, n, { nodeOptions = '', nodeArgs = [], preloadDir, env: extraEnv } = {}) {
	const env = {
		...ctx.env,
		...VARIANTS[variant].env,
		N8N_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
		...(preloadDir ? { BENCH_PRELOAD_DIR: preloadDir } : {}),
		...extraEnv,
	};
	const rssFile = path.join(ctx.home, 'rss.txt');
	fs.rmSync(rssFile, { force: true });
	const n8nArgs = [ctx.runtime.nodeBin, ...nodeArgs, ctx.runtime.n8nBin, 'execute', `--id=${workflowId(variant, n)}`, '--rawOutput'];
	const [command, ...args] = HAVE_TIME ? ['/usr/bin/time', '-f', '%M', '-o', rssFile, ...n8nArgs] : n8nArgs;
	const before = server.requestCount;
	const started = Date.now();
	const { code, stdout, stderr, polledPeakKb } = await run(command, args, env, 15 * 60 * 1000);
	const wallMs = Date.now() - started;
	const requests = server.requestCount - before;
	const start = stdout.search(/^\{$/m);
	if (code !== 0 || start < 0) throw new Error(`n8n execute ${variant} ${n} failed (exit ${code}):\n${(stdout + stderr).slice(-3000)}`);
	const result = JSON.parse(stdout.slice(start));
	const [task] = result.data.resultData.runData.Send ?? [];
	const items = task?.data?.main?.[0]?.length;
	if (result.data.resultData.error || task?.error || items !== n) {
		throw new Error(`${variant} ${n}: Send output ${items} items; error: ${JSON.stringify(result.data.resultData.error ?? task?.error)}`);
	}
	if (variant !== 'R' && requests !== n) throw new Error(`${variant} ${n}: the server got ${requests} requests, expected ${n}`);
	const peakKb = HAVE_TIME ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : polledPeakKb;
	return { ms: task.executionTime, msPerItem: task.executionTime / n, startTime: task.startTime, requests, rssMb: peakKb / 1024, wallMs };
}

function run(command, args, env, timeoutMs) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		const out = [];
		let stderr = '';
		let polledPeakKb = 0;
		child.stdout.on('data', (d) => out.push(d));
		child.stderr.on('data', (d) => (stderr += d));
		const poll = setInterval(() => {
			try {
				const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
				if (hwm) polledPeakKb = Math.max(polledPeakKb, Number(hwm[1]));
			} catch {
				// The process has just ended: its last reading stands.
			}
		}, 100);
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearInterval(poll);
			clearTimeout(timer);
			resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr, polledPeakKb });
		});
	});
}

/** Runs the variants in turn (A B A B …), `rounds` times, and collects each variant's runs. */
async function alternate(ctx, server, variants, n, rounds) {
	const runs = Object.fromEntries(variants.map((v) => [v, []]));
	for (let round = 1; round <= rounds; round++) {
		for (const v of variants) {
			const r = await execute(ctx, server, v, n);
			runs[v].push(r);
			say(`${ctx.n8nVersion} N=${n} round ${round}/${rounds} ${v}: ${fmt(r.msPerItem, 3)} ms/item, ${r.requests} requests, peak RSS ${fmt(r.rssMb, 0)} MB`);
		}
	}
	return runs;
}

function stats(runs) {
	const per = runs.map((r) => r.msPerItem);
	const rss = runs.map((r) => r.rssMb);
	return { median: median(per), min: Math.min(...per), max: Math.max(...per), rss: median(rss), rssMin: Math.min(...rss), rssMax: Math.max(...rss), requests: runs.map((r) => r.requests) };
}

/** --compare: each variant's median, and its per-round ratio to the first variant listed. */
function printComparison(n, runs) {
	const [first] = COMPARE;
	for (const v of COMPARE) {
		const s = stats(runs[v]);
		const ratios = runs[v].map((r, i) => r.msPerItem / runs[first][i].msPerItem);
		process.stdout.write(`N=${n} ${v.padEnd(2)} ${fmt(s.median, 3)} ms/item (${fmt(s.min, 3)}–${fmt(s.max, 3)}), ` +
			`/${first} median ${fmt(median(ratios), 3)} [${ratios.map((x) => fmt(x)).join(' ')}], RSS ${fmt(s.rss, 0)} MB  ${VARIANTS[v].label}\n`);
	}
}

function printProfile(variant, p) {
	const line = ({ name, ms }) => `  ${fmt(ms, 0).padStart(6)} ms  ${name}\n`;
	process.stdout.write(`\nprofile of ${variant} (${VARIANTS[variant].label}): ${fmt(p.run.msPerItem, 3)} ms/item, ${fmt(p.totalMs, 0)} ms of samples, ${p.file}\n`);
	process.stdout.write(` self time by package:\n${p.packages.map(line).join('')} self time by function:\n${p.functions.map(line).join('')}`);
	process.stdout.write(` total time (self + callees) by function:\n${p.inclusive.map(line).join('')}`);
}

/**
 * Expression evaluations per item in the whole run (n8n's main process): every `=…` expression, the
 * Send node's own two and any other (e.g. a credential's `={{$credentials.…}}`), by expression text
 * and by n8n's calling step. `userPerItem`: the two mapped by the user (VISITOR_EXPR, TEXT_EXPR) only.
 */
async function countExpressions(ctx, server, variant) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-bench-count-'));
	await execute(ctx, server, variant, COUNT_N, { nodeOptions: `--require=${PRELOAD}`, preloadDir: dir, env: { BENCH_COUNT_CALLERS: '1' } });
	const main = readPreload(dir);
	const callers = {};
	const expressions = {};
	let total = 0;
	let user = 0;
	for (const [expr, byCaller] of Object.entries(main.counts)) {
		const entry = (expressions[expr] = { perItem: 0, callers: {} });
		for (const [caller, count] of Object.entries(byCaller)) {
			callers[caller] = (callers[caller] ?? 0) + count / COUNT_N;
			entry.callers[caller] = count / COUNT_N;
			entry.perItem += count / COUNT_N;
			total += count;
			if (expr === VISITOR_EXPR || expr === TEXT_EXPR) user += count;
		}
	}
	fs.rmSync(dir, { recursive: true, force: true });
	return { perItem: total / COUNT_N, userPerItem: user / COUNT_N, callers, expressions, decryptionsPerItem: main.decryptions / COUNT_N };
}

/** The preload record of n8n's main process (not the task runner's). */
function readPreload(dir) {
	const records = fs.readdirSync(dir).filter((f) => f.startsWith('preload-')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
	const main = records.find((r) => /bin[\\/]n8n$/.test(r.argv[0] ?? ''));
	if (!main) throw new Error(`no preload record from n8n's main process in ${dir}`);
	return main;
}

/** One run of a variant with --cpu-prof; self and total time within the Send node's run. */
async function profile(ctx, server, variant = 'A', { keep = false } = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-bench-prof-'));
	const r = await execute(ctx, server, variant, PROFILE_N, {
		nodeOptions: `--require=${PRELOAD}`,
		nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`], // Node 20 refuses --cpu-prof in NODE_OPTIONS
		preloadDir: dir,
	});
	const main = readPreload(dir);
	const file = fs.readdirSync(dir).find((f) => f.endsWith(`.${main.pid}.0.001.cpuprofile`) || (f.endsWith('.cpuprofile') && f.includes(`.${main.pid}.`)));
	if (!file) throw new Error(`no CPU profile of process ${main.pid} in ${dir}`);
	const fromUs = main.clock.monotonicUs + (r.startTime - main.clock.wallMs) * 1000;
	const summary = summarise(path.join(dir, file), { fromUs, toUs: fromUs + r.ms * 1000, top: keep ? 40 : 15 });
	if (keep) summary.file = path.join(dir, file);
	else fs.rmSync(dir, { recursive: true, force: true });
	// The clocks line up if the profile started (at process start) shortly before the preload ran.
	return { run: r, clockSkewMs: (main.clock.monotonicUs - summary.startUs) / 1000, ...summary };
}

/** M items through the fake's quota: delivered, duplicates, wall time vs the theoretical minimum. */
async function rateLimited(ctx, limited) {
	limited.messages.clear();
	limited.clearRequests();
	limited.window = { start: 0, used: 0 };
	const r = await execute(ctx, limited, 'R', RATE.items);
	const visitors = [...limited.messages.values()].map((m) => m.visitorId);
	const unique = new Set(visitors).size;
	return {
		...r,
		delivered: unique,
		duplicates: visitors.length - unique,
		rejected429: limited.requests.length - visitors.length,
		minimumMs: (Math.ceil(RATE.items / RATE.limit) - 1) * RATE.windowMs,
	};
}

/** N8N_EXPRESSION_ENGINE (variants L and M) exists from n8n 2.40 on. */
const hasExpressionEngineSetting = (version) => {
	const [major, minor] = version.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 40);
};

/** The report's measurements on one runtime (extras on the first runtime only). */
async function measure(ctx, entry, index, fake, limited) {
	await execute(ctx, fake, 'A', 10); // warm-up (disk cache), not counted
	for (const n of SIZES) {
		const pairs = pairsFor(n);
		const runs = await alternate(ctx, fake, ['A', 'B'], n, pairs);
		const ratios = runs.A.map((a, i) => a.msPerItem / runs.B[i].msPerItem);
		entry.sizes.push({ n, pairs, A: stats(runs.A), B: stats(runs.B), ratios, ratio: median(ratios) });
	}
	if (EXTRAS) {
		entry.expressions = {};
		for (const v of ['N', 'A', 'B']) entry.expressions[v] = await countExpressions(ctx, fake, v);
		say(`expressions per item: ${Object.entries(entry.expressions).map(([v, e]) => `${v} ${e.perItem}`).join(', ')}`);
		if (index === 0) {
			entry.profile = await profile(ctx, fake);
			entry.rate = await rateLimited(ctx, limited);
			say(`rate-limited: ${entry.rate.delivered}/${RATE.items} delivered, ${entry.rate.duplicates} duplicates, ${entry.rate.ms} ms`);
			if (DIAG_ROUNDS > 0) {
				const variants = ['A', 'B', 'N', 'P', 'S', 'T', ...(hasExpressionEngineSetting(entry.version) ? ['L', 'M'] : [])];
				const runs = await alternate(ctx, fake, variants, 1000, DIAG_ROUNDS);
				entry.diagnostics = Object.fromEntries(variants.map((v) => [v, stats(runs[v])]));
			}
		}
	}
}

/** The commit the measured package was built from; "+ uncommitted changes" when its code differs from it. */
async function sourceCommit() {
	const { stdout: commit } = await exec('git', ['rev-parse', '--short', 'HEAD']);
	const { stdout: changed } = await exec('git', ['status', '--porcelain', '--', 'nodes', 'credentials', 'package.json']);
	return `${commit.trim()}${changed.trim() ? ' + uncommitted changes' : ''}`;
}

async function main() {
	const began = Date.now();
	const packed = await pack();
	const fake = new FakeBrevo({ apiKey: API_KEY, record: false });
	const limited = new FakeBrevo({ apiKey: API_KEY, quota: { limit: RATE.limit, windowMs: RATE.windowMs } });
	const servers = { baseUrl: await fake.start(), limitedUrl: await limited.start() };
	const report = { began: new Date(began), loadAtStart: os.loadavg(), commit: await sourceCommit(), packed, runtimes: [] };
	try {
		for (const [index, version] of RUNTIMES.entries()) {
			const ctx = await setUp(version, packed, servers);
			const entry = { version, n8nVersion: ctx.n8nVersion, nodeVersion: ctx.runtime.nodeVersion, httpVersion: ctx.httpVersion, installed: ctx.installed, sizes: [] };
			report.runtimes.push(entry);
			say(`n8n ${ctx.n8nVersion} on Node ${ctx.runtime.nodeVersion}; HTTP Request node v${ctx.httpVersion}; home ${ctx.home}`);
			if (COMPARE) {
				for (const n of SIZES) printComparison(n, await alternate(ctx, fake, COMPARE, n, pairsFor(n)));
				for (const v of PROFILE) printProfile(v, await profile(ctx, fake, v, { keep: true }));
			} else {
				await measure(ctx, entry, index, fake, limited);
			}
			if (!process.env.BENCH_KEEP) fs.rmSync(ctx.home, { recursive: true, force: true });
		}
	} finally {
		await fake.stop();
		await limited.stop();
		fs.rmSync(path.dirname(packed.tgz), { recursive: true, force: true });
	}
	report.wallS = (Date.now() - began) / 1000;
	if (COMPARE) return;
	const markdown = require('./report').render(report, { SIZES, PAIRS, PAIRS_LARGE, DIAG_ROUNDS, RATE, COUNT_N, PROFILE_N, VARIANTS });
	fs.writeFileSync(opts.out, markdown);
	process.stdout.write(markdown);
	say(`wrote ${path.relative(ROOT, opts.out)} (${report.wallS.toFixed(0)} s in all)`);
}

const trigger = () =>
	require('./trigger').benchTrigger({
		runtime: opts.runtimes?.split(',')[0] ?? DEFAULT_VERSION,
		events: Number(opts['trigger-events']),
		rounds: Number(opts['trigger-rounds']),
		concurrency: Number(opts['trigger-concurrency']),
		profile: opts['trigger-profile'],
		conversations: Number(opts['trigger-conversations']),
		out: opts.out,
	});

const upstream = () =>
	require('./upstream').benchUpstream({
		sizes: SIZES,
		pairs: PAIRS,
		events: Number(opts['trigger-events']),
		rounds: Number(opts['trigger-rounds']),
		concurrency: Number(opts['trigger-concurrency']),
		out: opts.out,
		helpers: { pack, setUp, execute, countExpressions, median, fmt, API_KEY },
	});

(opts.trigger ? trigger() : opts.upstream ? upstream() : main()).catch((error) => {
	console.error(`[bench] ${error.stack ?? error}`);
	process.exit(1);
});
