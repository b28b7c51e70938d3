'use strict';
/**
 * `npm run bench -- --trigger`: the trigger side. Chat events per second that end in a reply, posted
 * to a real n8n as Brevo posts them, with the reply sent to the fake Brevo server:
 *
 *   T  examples/visitor-reply.json: Brevo Conversations Trigger (token checked, event simplified)
 *      → Brevo Conversations Send
 *   W  the same with n8n's own nodes: Webhook (POST) → IF (query token equals the secret, the check
 *      the trigger makes) → the same Send node, fields mapped from the raw body
 *
 * each in one n8n (`n8n start`, regular mode, sqlite: n8n's defaults) and in queue mode (main +
 * webhook process + 2 workers, Postgres, Redis: e2e/queue/). All four run alternately, round after
 * round, while both set-ups are up, and the section "Trigger throughput" of bench/RESULTS.md is
 * rewritten (the rest of the file is kept).
 *
 * A third set-up, single-lazy, is the single one with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (see LAZY).
 *
 * T0 is T remembering nothing (Start On: Any New Message), to measure what the conversation memory
 * costs; WH the Webhook node checking the token with a Header Auth credential. T starts with
 * --trigger-conversations active conversations remembered (its static data, imported with it), as a
 * busy inbox has them. `T+echo` and `T0+echo` also post, after each event, the reply as Brevo posts
 * it back (a fragment with the bot's labelled message), as in a live inbox. Every T call that starts
 * the workflow writes the memory to the database (the trigger answers Brevo itself so that n8n saves
 * before it starts the execution); the queue set-up measures T and T0 on Postgres too.
 *
 *   --trigger-events=100     events per run      --trigger-rounds=3     rounds
 *   --trigger-concurrency=10 requests in flight  --trigger-profile      T and W each profiled (--cpu-prof)
 *                                                                        in the single n8n, summarised
 *   --trigger-conversations=1000  conversations T remembers at the start
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { FakeBrevo } = require('../test/fake-brevo/server');
const { ensureRuntime, ROOT } = require('../e2e/runtime');
const { fakeBrevoN8nEnv, installPackage, packPackage, runN8nOk, waitFor } = require('../e2e/n8n');
const { triggerNodeOf, visitorReplyExample } = require('../e2e/workflows');
const { N8nProcess, startCluster, descendantsOf } = require('../e2e/queue/cluster');
const { ensureServerPackages, startPostgres, startRedis } = require('../e2e/queue/services');
const { chatEvent, postEvents, replyEchoEvent, repliesByVisitor, visitors } = require('../e2e/queue/chatTraffic');
const { summarise, timeUnder } = require('./cpuprofile');

const TOKEN = 'benchTriggerToken0123456789abcd';
const API_KEY = 'xkeysib-bench-trigger-0123';
const WEBHOOK_PATH = 'bench-webhook-node';
const SECTION = { start: '<!-- trigger throughput -->', end: '<!-- /trigger throughput -->' };
// n8n (2.41) takes an expression isolate for the webhook phase of every trigger but its own Webhook
// node (webhooks/live-webhooks.js, webhookPhaseNeedsIsolate); with lazy acquisition an isolate is
// only built once an expression is evaluated. The third set-up measures what that setting changes.
const LAZY = { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' };
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s

const say = (message) => process.stderr.write(`[bench:trigger] ${message}\n`);
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x, d = 2) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d));
const spread = (xs, d = 2) => `${f(median(xs), d)} (${f(Math.min(...xs), d)}–${f(Math.max(...xs), d)})`;

/** W: what a user builds from n8n's own nodes for the same job. */
function webhookNodeWorkflow(example) {
	const reply = structuredClone(example.workflow.nodes.find((n) => n.name === 'Reply to the visitor'));
	reply.parameters.visitorId = '={{ $json.body.visitor.id }}';
	reply.parameters.text = reply.parameters.text.replaceAll('$json.visitorName', '$json.body.visitor.displayedName');
	reply.position = [440, 0];
	const node = (n, name, type, typeVersion, parameters, extra = {}) => ({ id: `b1000000-0000-4000-8000-00000000000${n}`, name, type, typeVersion, position: [220 * (n - 1), 0], parameters, ...extra });
	const webhook = node(1, 'Webhook', 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} }, { webhookId: 'b1000000-0000-4000-8000-0000000000aa' });
	const condition = { id: 'b1000000-0000-4000-8000-0000000000c1', leftValue: '={{ $json.query.token }}', rightValue: TOKEN, operator: { type: 'string', operation: 'equals' } };
	const check = node(2, 'Token Is Right', 'n8n-nodes-base.if', 2.2, {
		conditions: { options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 }, conditions: [condition], combinator: 'and' },
		options: {},
	});
	return {
		id: 'benchWebhookNod1',
		name: 'bench: Webhook node → IF → reply',
		versionId: 'b1000000-0000-4000-8000-0000000000dd',
		nodes: [webhook, check, reply],
		connections: {
			Webhook: { main: [[{ node: check.name, type: 'main', index: 0 }]] },
			[check.name]: { main: [[{ node: reply.name, type: 'main', index: 0 }], []] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

const HEADER_AUTH_PATH = 'bench-webhook-header-auth';
const HEADER_AUTH_CREDENTIAL = { id: 'benchHeaderAuth1', name: 'bench: token header' };
/** The token header WH checks (Brevo sends none: a like-for-like cost comparison, not a setup users can have) */
const TOKEN_HEADER = 'x-brevo-token';

/**
 * WH: the Webhook node checking the token itself with a Header Auth credential, the secret kept in
 * a credential as our trigger keeps it (n8n reads it per call, like ours), no IF node.
 */
function headerAuthWebhookWorkflow(example) {
	const wf = webhookNodeWorkflow(example);
	const webhook = wf.nodes.find((n) => n.name === 'Webhook');
	webhook.parameters = { ...webhook.parameters, path: HEADER_AUTH_PATH, authentication: 'headerAuth' };
	webhook.webhookId = 'b1000000-0000-4000-8000-0000000000ab';
	webhook.credentials = { httpHeaderAuth: HEADER_AUTH_CREDENTIAL };
	const reply = wf.nodes.find((n) => n.name === 'Reply to the visitor');
	return {
		...wf,
		id: 'benchWebhookHdr1',
		name: 'bench: Webhook node (Header Auth) → reply',
		versionId: 'b1000000-0000-4000-8000-0000000000de',
		nodes: [webhook, reply],
		connections: { Webhook: { main: [[{ node: reply.name, type: 'main', index: 0 }]] } },
	};
}

/** T0: our trigger remembering nothing (Start On: Any New Message): what the conversation memory costs. */
function statelessTriggerWorkflow(example) {
	const wf = structuredClone(example.workflow);
	const trigger = triggerNodeOf(wf);
	trigger.webhookId = 'b1000000-0000-4000-8000-0000000000a0';
	trigger.parameters.options = { ...trigger.parameters.options, startOn: 'anyMessage' };
	return { ...wf, id: 'benchTriggerNoMem', name: 'bench: trigger without memory → reply', versionId: 'b1000000-0000-4000-8000-0000000000df' };
}
const STATELESS_PATH = 'b1000000-0000-4000-8000-0000000000a0/webhook';

/** The visitor whose conversation the memory holds first (prefilled): bench/trigger.js checks it is recognised. */
const PREFILLED_VISITOR = (i) => `prefill-${String(i).padStart(4, '0')}`;

/**
 * T's static data with `count` conversations remembered, each with its visitor's first message
 * (chatEvent's ID) and two more, the last event within the last hour: what a busy inbox leaves in
 * the trigger's memory. Written by the package's own encoder (dist, built by packPackage).
 */
function prefilledStaticData(example, count, now = Date.now()) {
	const { encodeStates } = require('../dist/nodes/BrevoConversationsTrigger/helpers/conversationMemory');
	const trigger = triggerNodeOf(example.workflow);
	const states = new Map();
	for (let i = 0; i < count; i++) {
		const visitorId = PREFILLED_VISITOR(i);
		states.set(`conv-${visitorId}`, { delivered: [`msg-${visitorId}`, `msg-${visitorId}-2`, `msg-${visitorId}-3`], lastEventAt: now - i * 1000 });
	}
	return { [`node:${trigger.name}`]: { conversations: encodeStates(states) } };
}

/**
 * Imports T, W, WH and T0 with their credentials and publishes them (n8n's CLI, before n8n starts);
 * T with `conversations` conversations in its memory.
 */
async function importWorkflows(n8n, example, { conversations = 0 } = {}) {
	const input = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-bench-trigger-input-'));
	fs.mkdirSync(path.join(input, 'workflows'));
	const headerAuth = { ...HEADER_AUTH_CREDENTIAL, type: 'httpHeaderAuth', data: { name: TOKEN_HEADER, value: TOKEN } };
	fs.writeFileSync(path.join(input, 'credentials.json'), JSON.stringify([...example.credentials, headerAuth]));
	const webhook = webhookNodeWorkflow(example);
	const remembering = conversations > 0 ? { ...example.workflow, staticData: prefilledStaticData(example, conversations) } : example.workflow;
	const all = [remembering, webhook, headerAuthWebhookWorkflow(example), statelessTriggerWorkflow(example)];
	for (const wf of all) fs.writeFileSync(path.join(input, 'workflows', `${wf.id}.json`), JSON.stringify(wf));
	await n8n(['import:credentials', `--input=${path.join(input, 'credentials.json')}`]);
	await n8n(['import:workflow', '--separate', `--input=${path.join(input, 'workflows')}`]);
	for (const wf of all) await n8n(['publish:workflow', `--id=${wf.id}`]);
	fs.rmSync(input, { recursive: true, force: true });
}

/** CPU seconds used so far by these processes and all their descendants (task runners, Postgres backends). */
function cpuSeconds(pids) {
	let ticks = 0;
	const all = new Set(pids);
	for (const pid of pids) for (const d of descendantsOf(pid)) all.add(d.pid);
	for (const pid of all) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
		} catch {
			// ended meanwhile
		}
	}
	return ticks / CLK_TCK;
}

/** One run: `events` chat events to `url`; time until the fake Brevo stored every reply; CPU used meanwhile. */
async function run(setup, variant, round, fake, opts) {
	const ids = visitors(`${setup.name}-${variant.name}-r${round}`, opts.events);
	const cpuBefore = cpuSeconds(setup.pids());
	const started = process.hrtime.bigint();
	const before = fake.requestCount;
	const statuses = await postEvents(variant.url, ids, { concurrency: opts.concurrency, headers: variant.headers, body: variant.body });
	if (!statuses.every((s) => s === 200)) throw new Error(`${setup.name} ${variant.name}: statuses ${statuses.join(',')}`);
	await waitFor(() => fake.requestCount - before >= ids.length, 300000, `${ids.length} replies`, 20);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const cpu = cpuSeconds(setup.pids()) - cpuBefore;
	const replies = repliesByVisitor(fake);
	const once = ids.filter((id) => replies.get(id) === 1).length;
	if (once !== ids.length || fake.requestCount - before !== ids.length) {
		throw new Error(`${setup.name} ${variant.name}: ${once}/${ids.length} visitors answered once, ${fake.requestCount - before} requests`);
	}
	const result = { eventsPerS: ids.length / seconds, msPerEvent: (seconds * 1000) / ids.length, cpuMsPerEvent: (cpu * 1000) / ids.length };
	say(`round ${round} ${setup.name} ${variant.name}: ${f(result.eventsPerS, 1)} events/s, ${f(result.cpuMsPerEvent, 1)} CPU ms/event`);
	return result;
}

async function startSingle(runtime, tgz, example, name = 'single', extraEnv = {}, { conversations = 0 } = {}) {
	const home = fs.mkdtempSync(path.join(os.tmpdir(), `brevo-bench-trigger-${name}-`));
	await installPackage(runtime, home, tgz);
	const env = await fakeBrevoN8nEnv(runtime, home, { N8N_ENCRYPTION_KEY: 'bench-trigger-encryption-key-0123456789', N8N_LOG_LEVEL: 'warn', ...extraEnv });
	delete env.NODE_OPTIONS; // the e2e's preloads stay out; a bench preload comes in extraEnv
	if (extraEnv.NODE_OPTIONS) env.NODE_OPTIONS = extraEnv.NODE_OPTIONS;
	await importWorkflows((args) => runN8nOk(runtime, env, args), example, { conversations });
	const start = (nodeArgs = []) => new N8nProcess(name, runtime, env, ['start'], path.join(home, 'n8n.log'), nodeArgs);
	const base = `http://127.0.0.1:${env.N8N_PORT}`;
	const setup = {
		name,
		home,
		base,
		n8n: start(),
		pids: () => [setup.n8n.pid],
		async ready() {
			await waitFor(async () => (setup.n8n.checkAlive(), fetch(`${base}/healthz/readiness`).then((r) => r.ok, () => false)), 180000, 'n8n to be ready', 250);
			// The production webhooks are registered a moment after readiness: 404 until then.
			await waitFor(async () => (await fetch(`${base}/webhook/${WEBHOOK_PATH}`, { method: 'POST' })).status !== 404, 60000, 'the webhooks', 250);
		},
		async restart(nodeArgs) {
			await setup.n8n.stop('SIGINT');
			setup.previousPid = setup.n8n.pid;
			setup.n8n = start(nodeArgs);
			await setup.ready();
		},
		async stop() {
			await setup.n8n.stop('SIGINT');
			fs.rmSync(home, { recursive: true, force: true });
		},
	};
	await setup.ready();
	return setup;
}

/**
 * --trigger-profile: T and W each in their own `n8n start --cpu-prof` (the single set-up), a
 * warm-up run, then one measured run; self and total time of the samples within that run.
 */
async function profileSingle(single, variants, fake, opts) {
	const out = {};
	for (const v of variants) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), `brevo-bench-trigger-prof-${v.name}-`));
		await single.restart(['--cpu-prof', `--cpu-prof-dir=${dir}`]);
		await run(single, v, 'profile warm-up', fake, { ...opts, events: Math.min(20, opts.events) });
		const fromUs = Number(process.hrtime.bigint() / 1000n);
		const measured = await run(single, v, 'profile', fake, opts);
		const toUs = Number(process.hrtime.bigint() / 1000n);
		await single.restart(); // the profile is written when the profiled process exits
		const file = fs.readdirSync(dir).find((name) => name.includes(`.${single.previousPid}.`) && name.endsWith('.cpuprofile'));
		if (!file) throw new Error(`no CPU profile of process ${single.previousPid} in ${dir}`);
		// The profile's clock and process.hrtime are both CLOCK_MONOTONIC on Linux.
		const window = { fromUs, toUs };
		out[v.name] = {
			run: measured,
			file: path.join(dir, file),
			...summarise(path.join(dir, file), { ...window, top: 25 }),
			// Building expression isolates for the webhook phase (n8n's live-webhooks executeWebhook) and for the execution.
			isolateWebhookMs: timeUnder(path.join(dir, file), { ...window, inner: /^acquire .*expression-evaluator/, outer: /^executeWebhook .*live-webhooks/ }),
			isolateExecutionMs: timeUnder(path.join(dir, file), { ...window, inner: /^acquire .*expression-evaluator/, outer: /^initializeExecution .*workflow-execute/ }),
			isolateCredentialMs: timeUnder(path.join(dir, file), { ...window, inner: /^acquire .*expression-evaluator/, outer: /^applyDefaultsAndOverwrites .*credentials-helper/ }),
		};
		say(`profile of ${v.name} kept in ${out[v.name].file}`);
	}
	return out;
}

function renderSection(result, opts) {
	const L = [SECTION.start, '## Trigger throughput: chat events that end in a reply', ''];
	L.push('Generated by `npm run bench -- --trigger` (bench/trigger.js, ≈ 10 min on 2 shared cores); `--trigger-events=N --trigger-rounds=K',
		'--trigger-concurrency=C --trigger-conversations=M --trigger-profile` change it. The rest of this file is not touched by it.', '');
	L.push(`- Date: ${result.began.toISOString()}; n8n ${result.n8nVersion} on Node ${result.nodeVersion}; ${os.cpus().length} CPUs shared with other engineers' runs (load average at the end ${os.loadavg().map((x) => f(x, 1)).join(' / ')})`);
	L.push(`- Each run: ${opts.events} \`conversationStarted\` events (one visitor each), ${opts.concurrency} requests in flight, posted to the`,
		'  production webhook; the run ends when the fake Brevo has stored every reply (each visitor exactly once, checked).',
		'  **events/s** = events ÷ that time; **CPU ms/event** = CPU time of every process of the set-up (n8n processes, their',
		'  task runners, and in queue mode Postgres and Redis) during the run ÷ events.');
	L.push('- **T** = examples/visitor-reply.json: Brevo Conversations Trigger → Brevo Conversations *Send*. **W** = n8n\'s Webhook node',
		'  (POST, respond immediately) → IF (`{{ $json.query.token }}` equals the secret: the check the trigger makes) → the same',
		'  *Send* node with Visitor ID and Text mapped from `$json.body.visitor`. Same bodies, same URL query `?token=…`.',
		`  T starts each set-up with **${opts.conversations} conversations remembered** (imported as its static data, ≈ ${f(result.prefillBytes / 1024, 0)} KB; checked: a`,
		'  prefilled visitor\'s message delivered again starts nothing). **T0** = T remembering nothing (*Start On: Any New Message*).',
		'  **WH** = the Webhook node checking the token itself with a Header Auth credential (the secret in a credential, as ours).',
		'  **+echo**: after each event the same lane also posts the reply as Brevo posts it back (a fragment with the bot\'s',
		'  message, labelled with the trigger\'s *Ignore Received From*); it starts nothing. Each T call that starts the workflow',
		'  writes the memory to the database before the execution starts (the trigger answers Brevo itself). events/s counts the',
		'  visitor events only.');
	L.push('- **single** = one `n8n start` with n8n\'s defaults (regular mode, sqlite). **single-lazy** = the same with',
		'  `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true`. **queue** = main + webhook process + 2 workers (`--concurrency=10`),',
		`  Postgres 15 and Redis 7 on the same machine (e2e/queue/). All set-ups stay up; the runs alternate, ${opts.rounds} rounds.`, '');
	L.push('| set-up | workflow | events/s median (min–max) | CPU ms/event median (min–max) |', '|---|---|---|---|');
	for (const [key, runs] of Object.entries(result.runs)) {
		const [setup, variant] = key.split(' ');
		L.push(`| ${setup} | ${variant} | ${spread(runs.map((r) => r.eventsPerS), 1)} | ${spread(runs.map((r) => r.cpuMsPerEvent), 1)} |`);
	}
	L.push('', '| ratio, per round | median (min–max) | per round |', '|---|---|---|');
	for (const { label, values } of result.ratios) L.push(`| ${label} | **${spread(values)}** | ${values.map((x) => f(x)).join(', ')} |`);
	if (result.profile) {
		L.push('', `CPU profile of the single n8n, one run of each (${opts.events} events), self time by package:`, '');
		L.push('| package | T ms | W ms |', '|---|---:|---:|');
		const names = [...new Set(Object.values(result.profile).flatMap((p) => p.packages.map((x) => x.name)))];
		for (const name of names) L.push(`| ${name} | ${f(result.profile.T.packageMs[name] ?? 0, 0)} | ${f(result.profile.W.packageMs[name] ?? 0, 0)} |`);
		L.push(`| **all samples** | **${f(result.profile.T.totalMs, 0)}** | **${f(result.profile.W.totalMs, 0)}** |`);
		L.push('', 'Of which taking an expression isolate (`ExpressionEvaluator.acquire`, which builds a new isolated-vm bridge when the pool is empty):', '');
		L.push('| called from | T ms | W ms |', '|---|---:|---:|');
		L.push(`| the webhook phase (\`LiveWebhooks.executeWebhook\`) | ${f(result.profile.T.isolateWebhookMs, 0)} | ${f(result.profile.W.isolateWebhookMs, 0)} |`);
		L.push(`| reading a credential outside an execution (\`CredentialsHelper.applyDefaultsAndOverwrites\`) | ${f(result.profile.T.isolateCredentialMs, 0)} | ${f(result.profile.W.isolateCredentialMs, 0)} |`);
		L.push(`| the execution (\`WorkflowExecute.initializeExecution\`) | ${f(result.profile.T.isolateExecutionMs, 0)} | ${f(result.profile.W.isolateExecutionMs, 0)} |`);
	}
	L.push('', '**Why T costs more than W with n8n\'s defaults.** n8n 2.41 takes an expression isolate (isolated-vm) for the webhook',
		'phase of every webhook call, *except* when the workflow starts with its own Webhook node and that node\'s parameters',
		'are static (`LiveWebhooks.webhookPhaseNeedsIsolate` in n8n/dist/webhooks/live-webhooks.js checks the node type). With',
		'a pool of one isolate (`N8N_EXPRESSION_ENGINE_POOL_SIZE=1`, the default), every acquisition ends up building a new',
		'isolate (at once when the pool is empty, else as the pool\'s replacement). And a credential read outside an execution',
		'(a trigger\'s `webhook()` reading its token credential) resolves the credential in a throwaway workflow that takes an',
		'isolate of its own (`CredentialsHelper.applyDefaultsAndOverwrites`), although the credential holds no expression. So T',
		'builds three isolates per event (webhook phase, token credential, execution), W one (execution); the CPU column counts',
		'all threads of the process, the profile only n8n\'s main thread. The trigger\'s own code evaluates no expression; only',
		'keeping the token out of a credential, or caching it across calls, would avoid one of the three. With',
		'`N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true` (an n8n setting, off by default) an isolate is built only when an',
		'expression is evaluated, and T and W cost about the same (single-lazy rows).', '', SECTION.end);
	return L.join('\n') + '\n';
}

/**
 * Replaces a section of RESULTS.md (between `markers`, the trigger's by default), or appends it
 * (after the analysis, which the full bench keeps).
 */
function writeSection(file, section, markers = SECTION) {
	const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	const start = text.indexOf(markers.start);
	const end = text.indexOf(markers.end);
	const next = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + markers.end.length + 1) : `${text.trimEnd()}\n\n${section}`;
	fs.writeFileSync(file, next);
}

/** The prefilled memory is the one T runs with: a prefilled visitor's first message, delivered again, starts nothing. */
async function expectRemembered(url) {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chatEvent(PREFILLED_VISITOR(0))) });
	const body = await response.json();
	if (!/already started/.test(body.message)) throw new Error(`T does not recognise a prefilled conversation: ${response.status} ${JSON.stringify(body)}`);
}

async function benchTrigger(opts) {
	const began = new Date();
	const bins = await ensureServerPackages();
	const runtime = await ensureRuntime(opts.runtime);
	const tgz = await packPackage();
	const fake = new FakeBrevo({ apiKey: API_KEY, record: false });
	const baseUrl = await fake.start();
	const example = visitorReplyExample({ id: 'benchTriggerRep1', token: TOKEN, apiKey: API_KEY, baseUrl });
	const stack = [];
	try {
		const memory = { conversations: opts.conversations };
		const single = await startSingle(runtime, tgz, example, 'single', {}, memory);
		stack.push(single);
		const lazy = await startSingle(runtime, tgz, example, 'single-lazy', LAZY, memory);
		stack.push(lazy);
		const postgres = await startPostgres(bins.postgres);
		stack.push(postgres);
		const redis = await startRedis(bins.redis);
		stack.push(redis);
		const cluster = await startCluster({
			runtime,
			tgz,
			postgres,
			redis,
			webhookPaths: [example.webhookPath, WEBHOOK_PATH, STATELESS_PATH],
			extraEnv: { N8N_LOG_LEVEL: 'warn' },
			setUp: (env, n8n) => importWorkflows(n8n, example, memory),
		});
		stack.push(cluster);
		const queue = { name: 'queue', pids: () => [...cluster.processes.filter((p) => p.alive).map((p) => p.pid), postgres.pid, redis.pid] };
		const variantsOf = (base) => [
			{ name: 'T', url: `${base}/webhook/${example.webhookPath}?token=${TOKEN}` },
			{ name: 'W', url: `${base}/webhook/${WEBHOOK_PATH}?token=${TOKEN}` },
		];
		const label = triggerNodeOf(example.workflow).parameters.options.ignoreReceivedFrom;
		const withEcho = (id) => [chatEvent(id), replyEchoEvent(id, label)];
		const [singleT] = variantsOf(single.base);
		const statelessUrl = `${single.base}/webhook/${STATELESS_PATH}?token=${TOKEN}`;
		const singleOnly = [
			{ name: 'T0', url: statelessUrl },
			{ name: 'WH', url: `${single.base}/webhook/${HEADER_AUTH_PATH}`, headers: { [TOKEN_HEADER]: TOKEN } },
			{ name: 'T+echo', url: singleT.url, body: withEcho },
			{ name: 'T0+echo', url: statelessUrl, body: withEcho },
		];
		if (opts.conversations > 0) await expectRemembered(singleT.url);
		const plan = [
			...[...variantsOf(single.base), ...singleOnly].map((v) => [single, v]),
			...variantsOf(lazy.base).map((v) => [lazy, v]),
			...[...variantsOf(cluster.webhookBase), { name: 'T0', url: `${cluster.webhookBase}/webhook/${STATELESS_PATH}?token=${TOKEN}` }].map((v) => [queue, v]),
		];
		for (const [setup, v] of plan) await run(setup, v, 'warm-up', fake, { ...opts, events: Math.min(20, opts.events) });
		const runs = Object.fromEntries(plan.map(([s, v]) => [`${s.name} ${v.name}`, []]));
		for (let round = 1; round <= opts.rounds; round++) {
			// Alternate the order too, so that neither variant always runs right after the other.
			const order = round % 2 ? plan : [...plan].reverse();
			for (const [setup, v] of order) runs[`${setup.name} ${v.name}`].push(await run(setup, v, round, fake, opts));
		}
		const per = (key, field) => runs[key].map((r) => r[field]);
		const ratio = (a, b, field) => per(a, field).map((x, i) => x / per(b, field)[i]);
		const ratios = [
			{ label: 'single: T time per event ÷ W time per event (W events/s ÷ T events/s)', values: ratio('single W', 'single T', 'eventsPerS') },
			{ label: 'single: T CPU per event ÷ W CPU per event', values: ratio('single T', 'single W', 'cpuMsPerEvent') },
			{ label: 'single-lazy: T time per event ÷ W time per event', values: ratio('single-lazy W', 'single-lazy T', 'eventsPerS') },
			{ label: 'single-lazy: T CPU per event ÷ W CPU per event', values: ratio('single-lazy T', 'single-lazy W', 'cpuMsPerEvent') },
			{ label: 'queue: T time per event ÷ W time per event', values: ratio('queue W', 'queue T', 'eventsPerS') },
			{ label: 'queue: T CPU per event ÷ W CPU per event', values: ratio('queue T', 'queue W', 'cpuMsPerEvent') },
			{ label: 'T: queue events/s ÷ single events/s', values: ratio('queue T', 'single T', 'eventsPerS') },
			{ label: `single: T events/s ÷ T0 events/s (the conversation memory's cost, ${opts.conversations} conversations remembered; goal ≥ 0.9)`, values: ratio('single T', 'single T0', 'eventsPerS') },
			{ label: `queue: T events/s ÷ T0 events/s (the memory's cost on Postgres, ${opts.conversations} conversations remembered; goal ≥ 0.9)`, values: ratio('queue T', 'queue T0', 'eventsPerS') },
			{ label: 'single: T+echo events/s ÷ T0+echo events/s (the same with each reply posted back as Brevo does)', values: ratio('single T+echo', 'single T0+echo', 'eventsPerS') },
			{ label: 'single: T time per event ÷ WH time per event (Webhook node with Header Auth credential)', values: ratio('single WH', 'single T', 'eventsPerS') },
			{ label: 'single: T CPU per event ÷ WH CPU per event', values: ratio('single T', 'single WH', 'cpuMsPerEvent') },
		];
		const n8nVersion = JSON.parse(fs.readFileSync(path.join(path.dirname(runtime.n8nBin), '..', 'package.json'), 'utf8')).version;
		const prefillBytes = JSON.stringify(prefilledStaticData(example, opts.conversations)).length;
		const result = { began, runs, ratios, n8nVersion, nodeVersion: runtime.nodeVersion, prefillBytes };
		if (opts.profile) result.profile = await profileSingle(single, variantsOf(single.base), fake, opts);
		const section = renderSection(result, opts);
		process.stdout.write(section);
		if (opts.out) {
			writeSection(opts.out, section);
			say(`wrote the trigger section of ${path.relative(ROOT, opts.out)}`);
		}
	} finally {
		for (const part of stack.reverse()) await part.stop().catch((error) => say(`stop: ${error.message}`));
		await fake.stop();
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	}
}

module.exports = { benchTrigger, startSingle, run, profileSingle, webhookNodeWorkflow, writeSection, TOKEN, API_KEY, LAZY };
