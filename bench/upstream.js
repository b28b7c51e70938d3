'use strict';
/**
 * `npm run bench -- --upstream`: what the two proposals to n8n in docs/upstream/ would give this
 * node's users, measured in one run on the pinned n8n (2.41.1) and on throw-away copies of it with
 * each proposal applied (bench/upstream/patchedRuntime.js; the pinned runtime is never written to
 * and is checked unchanged at the end):
 *
 *   1. routing   RoutingNode without the top-level `$value` evaluations nothing reads:
 *                A/B (this node vs the HTTP Request node, bench/run.js's workflows), N items, K pairs,
 *                alternating unpatched A, unpatched B, patched A, patched B; expression evaluations per item
 *   2. webhook   the webhook phase and credential reads take an isolate only when they evaluate:
 *                trigger T vs Webhook node W (bench/trigger.js's workflows), one `n8n start` each for
 *                unpatched, patched, and unpatched with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true;
 *                events/s, CPU ms/event, isolates built and acquired per event, expression evaluations per event
 *
 * Writes the section "Upstream proposals" of bench/RESULTS.md (the rest is kept). ≈ 12–15 min on 2 cores.
 * Options: --n=1000 --pairs=4 --trigger-events=100 --trigger-rounds=3 --trigger-concurrency=10 --out=FILE
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { FakeBrevo } = require('../test/fake-brevo/server');
const { DEFAULT_VERSION, ensureRuntime, ROOT } = require('../e2e/runtime');
const { packPackage } = require('../e2e/n8n');
const { visitorReplyExample } = require('../e2e/workflows');
const trigger = require('./trigger');
const { PROPOSALS } = require('./upstream/patches');
const { patchedRuntime, originalChecksums, assertOriginalUnchanged } = require('./upstream/patchedRuntime');

const SECTION = { start: '<!-- upstream -->', end: '<!-- /upstream -->' };
const PRELOAD = path.join(__dirname, 'preload.js');
const say = (message) => process.stderr.write(`[bench:upstream] ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A/B on the unpatched runtime and on the routing copy, in alternation; then evaluations per item. */
async function measureRouting(o, runtimes, packed) {
	const { setUp, execute, countExpressions, median, fmt, API_KEY } = o.helpers;
	const fake = new FakeBrevo({ apiKey: API_KEY, record: false });
	const baseUrl = await fake.start();
	const servers = { baseUrl, limitedUrl: baseUrl };
	const result = { sizes: [] };
	try {
		const ctxs = {};
		for (const [key, runtime] of Object.entries(runtimes)) {
			ctxs[key] = await setUp(DEFAULT_VERSION, packed, servers, runtime);
			await execute(ctxs[key], fake, 'A', 10); // warm-up (disk cache), not counted
		}
		result.n8nVersion = ctxs.unpatched.n8nVersion;
		result.nodeVersion = ctxs.unpatched.runtime.nodeVersion;
		result.httpVersion = ctxs.unpatched.httpVersion;
		for (const n of o.sizes) {
			const runs = Object.fromEntries(Object.keys(ctxs).map((k) => [k, { A: [], B: [] }]));
			for (let pair = 1; pair <= o.pairs; pair++) {
				for (const key of Object.keys(ctxs)) {
					for (const v of ['A', 'B']) {
						const r = await execute(ctxs[key], fake, v, n);
						runs[key][v].push(r.msPerItem);
						say(`N=${n} pair ${pair}/${o.pairs} ${key} ${v}: ${fmt(r.msPerItem, 3)} ms/item, ${r.requests} requests`);
					}
				}
			}
			const ratio = (xs, ys) => xs.map((x, i) => x / ys[i]);
			result.sizes.push({
				n,
				runs,
				ratios: {
					unpatched: ratio(runs.unpatched.A, runs.unpatched.B),
					routing: ratio(runs.routing.A, runs.routing.B),
					patchedA: ratio(runs.routing.A, runs.unpatched.A),
					patchedB: ratio(runs.routing.B, runs.unpatched.B),
				},
			});
		}
		result.counts = {};
		for (const key of Object.keys(ctxs)) {
			result.counts[key] = { A: await countExpressions(ctxs[key], fake, 'A'), B: await countExpressions(ctxs[key], fake, 'B') };
			say(`${key}: evaluations per item A ${result.counts[key].A.perItem}, B ${result.counts[key].B.perItem}`);
		}
		result.median = median;
		for (const ctx of Object.values(ctxs)) if (!process.env.BENCH_KEEP) fs.rmSync(ctx.home, { recursive: true, force: true });
	} finally {
		await fake.stop();
	}
	return result;
}

/** The preload's live record of n8n's main process (isolates and evaluations so far). */
function liveRecord(dir, pid) {
	const file = path.join(dir, `live-${pid}.json`);
	return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

const evaluations = (record) => Object.values(record.counts).reduce((sum, byCaller) => sum + Object.values(byCaller).reduce((a, b) => a + b, 0), 0);

/** One trigger run plus the isolates and evaluations n8n's main process counted meanwhile. */
async function counted(setup, variant, round, fake, opts) {
	await sleep(400); // the previous run's pool replenishment lands in the previous run's count
	const before = liveRecord(setup.preloadDir, setup.n8n.pid);
	const r = await trigger.run(setup, variant, round, fake, opts);
	await sleep(600); // one more live write (every 200 ms) after the last reply, and the replenishment it started
	const after = liveRecord(setup.preloadDir, setup.n8n.pid);
	if (!before || !after) throw new Error(`no live preload record of ${setup.name} (pid ${setup.n8n.pid}) in ${setup.preloadDir}`);
	const per = (x) => x / opts.events;
	return {
		...r,
		builtPerEvent: per(after.isolates.built - before.isolates.built),
		acquiredPerEvent: per(after.isolates.acquired - before.isolates.acquired),
		evaluationsPerEvent: per(evaluations(after) - evaluations(before)),
	};
}

/** T and W on three `n8n start`s: unpatched, webhook-patched, unpatched with lazy acquisition. */
async function measureWebhook(o, runtimes) {
	const tgz = await packPackage();
	const fake = new FakeBrevo({ apiKey: trigger.API_KEY, record: false });
	const baseUrl = await fake.start();
	const example = visitorReplyExample({ id: 'benchTriggerRep1', token: trigger.TOKEN, apiKey: trigger.API_KEY, baseUrl });
	const stack = [];
	const opts = { events: o.events, concurrency: o.concurrency };
	try {
		const plan = [];
		for (const [name, runtime, env] of [
			['unpatched', runtimes.unpatched, {}],
			['patched', runtimes.webhook, {}],
			['unpatched-lazy', runtimes.unpatched, trigger.LAZY],
		]) {
			const preloadDir = fs.mkdtempSync(path.join(os.tmpdir(), `brevo-upstream-preload-${name}-`));
			const setup = await trigger.startSingle(runtime, tgz, example, name, {
				...env,
				NODE_OPTIONS: `--require=${PRELOAD}`,
				BENCH_PRELOAD_DIR: preloadDir,
				BENCH_PRELOAD_LIVE: '1',
			});
			setup.preloadDir = preloadDir;
			stack.push({ stop: async () => (await setup.stop(), fs.rmSync(preloadDir, { recursive: true, force: true })) });
			plan.push(
				[setup, { name: 'T', url: `${setup.base}/webhook/${example.webhookPath}?token=${trigger.TOKEN}` }],
				[setup, { name: 'W', url: `${setup.base}/webhook/bench-webhook-node?token=${trigger.TOKEN}` }],
			);
		}
		for (const [setup, v] of plan) await trigger.run(setup, v, 'warm-up', fake, { ...opts, events: Math.min(20, opts.events) });
		const runs = Object.fromEntries(plan.map(([s, v]) => [`${s.name} ${v.name}`, []]));
		for (let round = 1; round <= o.rounds; round++) {
			const order = round % 2 ? plan : [...plan].reverse();
			for (const [setup, v] of order) runs[`${setup.name} ${v.name}`].push(await counted(setup, v, round, fake, opts));
		}
		return { runs };
	} finally {
		for (const part of stack.reverse()) await part.stop().catch((error) => say(`stop: ${error.message}`));
		await fake.stop();
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	}
}

function render(o, result) {
	const { median, fmt } = o.helpers;
	const spread = (xs, d = 3) => `${fmt(median(xs), d)} (${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)})`;
	const list = (xs) => xs.map((x) => fmt(x)).join(', ');
	const L = [SECTION.start, '## Upstream proposals: n8n itself made faster for this node (docs/upstream/)', ''];
	L.push('Generated by `npm run bench -- --upstream` (bench/upstream.js); the rest of this file is not touched by it. Each proposal',
		'is applied as a small patch of n8n\'s published JavaScript (bench/upstream/patches.js) to a throw-away, hard-linked copy of the',
		'pinned runtime; the pinned runtime itself is not written to (SHA-256 of every patched file checked after the run: unchanged).',
		'Unpatched and patched run alternately in the same run; the machine has 2 cores shared with other sessions\' test runs, so',
		'absolute times are noisy: compare the ratios within this run.', '');
	const r = result.routing;
	L.push(`- Date: ${result.began.toISOString()}; whole run ${fmt(result.wallS / 60, 1)} min; n8n ${r.n8nVersion} on Node ${r.nodeVersion};`,
		`  ${os.cpus().length} CPUs, load average at the end ${os.loadavg().map((x) => fmt(x, 1)).join(' / ')}`, '');
	L.push(`### 1. ${PROPOSALS.routing.title} (${PROPOSALS.routing.doc})`, '');
	L.push('A = this node\'s *Send*, B = the HTTP Request node (typeVersion ' + r.httpVersion + '), same workflow and fake Brevo as the A/B above;',
		`ms/item = the *Send* node's executionTime ÷ N; every run delivered exactly N requests (checked). Order per pair: unpatched A, B, patched A, B.`, '');
	L.push('| N | pairs | runtime | A ms/item median (min–max) | B ms/item median (min–max) | A/B per pair | A/B median |', '|---:|---:|---|---|---|---|---:|');
	for (const s of r.sizes) {
		for (const [key, label] of [['unpatched', 'n8n 2.41.1'], ['routing', 'n8n 2.41.1 + proposal 1']]) {
			L.push(`| ${s.n} | ${o.pairs} | ${label} | ${spread(s.runs[key].A)} | ${spread(s.runs[key].B)} | ${list(s.ratios[key])} | **${fmt(median(s.ratios[key]))}** |`);
		}
	}
	L.push('', '| N | patched ÷ unpatched, per pair | median |', '|---:|---|---:|');
	for (const s of r.sizes) {
		L.push(`| ${s.n} | A: ${list(s.ratios.patchedA)} | **${fmt(median(s.ratios.patchedA))}** |`);
		L.push(`| ${s.n} | B: ${list(s.ratios.patchedB)} | **${fmt(median(s.ratios.patchedB))}** |`);
	}
	L.push('', 'Expression evaluations per item (bench/preload.js, N = 100, every `=…` expression in n8n\'s main process, by calling step):', '');
	L.push('| runtime | variant | evaluations per item | by calling step (per item) |', '|---|---|---:|---|');
	for (const [key, label] of [['unpatched', 'n8n 2.41.1'], ['routing', '+ proposal 1']]) {
		for (const v of ['A', 'B']) {
			const c = r.counts[key][v];
			const callers = Object.entries(c.callers).sort((a, b) => b[1] - a[1]).map(([k, x]) => `${k} ${fmt(x, 1)}`).join('; ');
			L.push(`| ${label} | ${v} | **${fmt(c.perItem, 1)}** | ${callers} |`);
		}
	}
	const w = result.webhook;
	L.push('', `### 2. ${PROPOSALS.webhook.title} (${PROPOSALS.webhook.doc})`, '');
	L.push(`T = Brevo Conversations Trigger → *Send*, W = Webhook node → IF (token) → *Send*, as in "Trigger throughput" below; ${o.events} events per run,`,
		`${o.concurrency} in flight, ${o.rounds} rounds alternating over three \`n8n start\` (regular mode, sqlite): **unpatched**, **patched**`,
		'(proposal 2), and **unpatched-lazy** (unpatched with `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true`, the setting that exists today).',
		'Isolates built = isolated-vm bridges initialised in n8n\'s main process (the pool builds a replacement for every one it hands',
		'out); acquired = `ExpressionEvaluator#acquire` calls (eager, or a lazy scope that builds nothing until an expression is',
		'evaluated); evaluations = `=…` expressions evaluated; all counted by bench/preload.js between the first and the last reply.', '');
	L.push('| n8n | workflow | events/s median (min–max) | CPU ms/event median (min–max) | isolates built per event | acquisitions per event | evaluations per event |', '|---|---|---|---|---:|---:|---:|');
	for (const [key, runs] of Object.entries(w.runs)) {
		const [setup, variant] = key.split(' ');
		const m = (field, d) => fmt(median(runs.map((x) => x[field])), d);
		L.push(`| ${setup} | ${variant} | ${spread(runs.map((x) => x.eventsPerS), 1)} | ${spread(runs.map((x) => x.cpuMsPerEvent), 1)} | ${m('builtPerEvent', 2)} | ${m('acquiredPerEvent', 2)} | ${m('evaluationsPerEvent', 1)} |`);
	}
	const per = (key, field) => w.runs[key].map((x) => x[field]);
	const ratio = (a, b, field) => per(a, field).map((x, i) => x / per(b, field)[i]);
	L.push('', '| ratio, per round | median (min–max) | per round |', '|---|---|---|');
	for (const [label, values] of [
		['unpatched: T time per event ÷ W time per event', ratio('unpatched W', 'unpatched T', 'eventsPerS')],
		['patched: T time per event ÷ W time per event', ratio('patched W', 'patched T', 'eventsPerS')],
		['unpatched-lazy: T time per event ÷ W time per event', ratio('unpatched-lazy W', 'unpatched-lazy T', 'eventsPerS')],
		['T: patched time per event ÷ unpatched', ratio('unpatched T', 'patched T', 'eventsPerS')],
		['T: patched CPU per event ÷ unpatched', ratio('patched T', 'unpatched T', 'cpuMsPerEvent')],
		['W: patched time per event ÷ unpatched', ratio('unpatched W', 'patched W', 'eventsPerS')],
	]) {
		L.push(`| ${label} | **${spread(values, 2)}** | ${list(values)} |`);
	}
	L.push('', SECTION.end);
	return L.join('\n') + '\n';
}

async function benchUpstream(o) {
	const began = new Date();
	const runtime = await ensureRuntime(DEFAULT_VERSION);
	const checksums = originalChecksums(runtime);
	say('copying the runtime (hard links) and applying the proposals…');
	const runtimes = { unpatched: runtime, routing: patchedRuntime(runtime, ['routing']), webhook: patchedRuntime(runtime, ['webhook']) };
	try {
		const packed = await o.helpers.pack();
		const routing = await measureRouting(o, { unpatched: runtimes.unpatched, routing: runtimes.routing }, packed);
		fs.rmSync(path.dirname(packed.tgz), { recursive: true, force: true });
		const webhook = await measureWebhook(o, runtimes);
		assertOriginalUnchanged(runtime, checksums);
		const section = render(o, { began, wallS: (Date.now() - began.getTime()) / 1000, routing, webhook });
		process.stdout.write(section);
		if (o.out) {
			trigger.writeSection(o.out, section, SECTION);
			say(`wrote the upstream section of ${path.relative(ROOT, o.out)}`);
		}
	} finally {
		runtimes.routing.remove();
		runtimes.webhook.remove();
		assertOriginalUnchanged(runtime, checksums);
	}
}

module.exports = { benchUpstream };
