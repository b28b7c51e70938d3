'use strict';
/**
 * End-to-end, part 2: the packed package in a real n8n (2.41.1 on Node 24 by default; E2E_RUNTIME=2.8.4
 * or 1.123.0), for what the unit tests can only simulate:
 *
 *   - rate limits (issue 5): 25 items through Automated Message: Send against a fake Brevo whose quota
 *     is 10 requests per 2 s — Wait and Retry delivers each exactly once; Fail + Continue On Fail
 *     outputs 10 messages and 15 item errors naming the reset time;
 *   - secrets (issue 5): every operation and the 400/401/404/500 failure paths with a credential whose
 *     API key and partner key are sentinels; neither may appear in n8n's output items, in its sqlite
 *     database (the file's bytes, read after n8n stopped) or in its log output;
 *   - the trigger (issues 6 and 11): examples/visitor-reply.json and examples/conversation-auto-reply.json
 *     (Download Visitor Files on), with their webhook credential, activated in `n8n start`: one valid
 *     conversationStarted → one execution and one reply; wrong/missing token, unselected event, the
 *     bot's own echo and a malformed body → the right status and no execution; fragments holding only
 *     a human agent's or only an automated message → no execution; a visitor's three messages → one
 *     execution whose item carries all three; a visitor's file → binary data in the execution;
 *     `n8n export:workflow` and n8n's database and logs never contain the token.
 *
 * The rate-limit and secrets workflows run in one `n8n execute-batch` (works on every runtime, and it
 * stores each execution in n8n's database like any other), then one `n8n start` serves the trigger.
 * n8n 1.x cannot activate an imported workflow from its CLI, so the trigger part is skipped there.
 * Executions are counted in n8n's own database (execution_entity), read with n8n's sqlite3 addon
 * under n8n's Node: the count is what n8n recorded, not inferred from side effects.
 */
const assert = require('node:assert/strict');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');
const { FakeBrevo } = require('../test/fake-brevo/server');
const { DEFAULT_VERSION, ensureRuntime } = require('./runtime');
const { fakeBrevoN8nEnv, homeWithPackage, runN8n, runN8nOk, waitFor } = require('./n8n');
const { readExample } = require('./workflows');
const live = require('./liveN8n');

const RUNTIME = process.env.E2E_RUNTIME || DEFAULT_VERSION;
const NODE_TYPE = 'n8n-nodes-brevo-conversations.brevoConversations';

// Sentinels: nothing n8n writes may contain them. The 401 credential's key contains the API key
// sentinel too, so an echoed wrong key would be caught as well.
const API_SENTINEL = 'xkeysib-SENTINELapikey7f3a9c1e42';
const PARTNER_SENTINEL = 'SENTINELpartner5b2d8e4f9061';
const SENTINELS = [API_SENTINEL, PARTNER_SENTINEL, 'SENTINELapikey7f3a9c1e42', 'SENTINELpartner5b2d8e4f', 'e2eLiveSecret0123456789abcdef'];

const SECRET_CRED = 'e2eSecretCred001';
const WRONG_CRED = 'e2eWrongKeyCred1';
const RATE_WAIT_CRED = 'e2eRateWaitCred1';
const RATE_FAIL_CRED = 'e2eRateFailCred1';
const REPLY_CRED = 'brevoStartCred01'; // the credential the visitor-reply example names

const TRIGGER_SECRET = 'e2eLiveSecret0123456789abcdef';
const WEBHOOK_CRED = 'brevoWebhookCred01'; // the credential the trigger examples name
const TRIGGER_WF = 'exVisitorReplyLv1';
const FRAGMENT_WF = 'exFragmentReplyL1';
const MEMORY_WF = 'exBothEventsLv1'; // the fragment example listening to Conversation Started too

const fakes = {
	secret: new FakeBrevo({ apiKey: API_SENTINEL, partnerKey: PARTNER_SENTINEL }),
	rateWait: new FakeBrevo({ apiKey: 'xkeysib-rate-wait', quota: { limit: 10, windowMs: 2000 } }),
	rateFail: new FakeBrevo({ apiKey: 'xkeysib-rate-fail', quota: { limit: 10, windowMs: 2000 } }),
	reply: new FakeBrevo({ apiKey: 'xkeysib-reply-0123' }),
};
const state = { logs: '' };

let counter = 0;
const nodeId = () => `00000000-0000-4000-9000-${String(++counter).padStart(12, '0')}`;
const manual = () => ({ id: nodeId(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} });
function brevo(parameters, credentialId, onError) {
	return {
		id: nodeId(),
		name: 'Brevo',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [400, 0],
		parameters: { options: {}, ...parameters },
		credentials: { brevoConversationsApi: { id: credentialId, name: credentialId } },
		...(onError ? { onError } : {}),
	};
}
function chain(id, nodes) {
	const connections = {};
	for (let i = 0; i + 1 < nodes.length; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name: `e2e ${id}`, versionId: randomUUID(), nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}
const single = (id, parameters, credentialId, onError) => chain(id, [manual(), brevo(parameters, credentialId, onError)]);

/** Start → Code (25 items {visitorId}) → Automated Message: Send. */
function rateWorkflow(id, credentialId, options, onError) {
	const code = {
		id: nodeId(),
		name: 'Make 25 Items',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [200, 0],
		parameters: { jsCode: "return Array.from({ length: 25 }, (_, i) => ({ json: { visitorId: 'rate-visitor-' + String(i).padStart(2, '0') } }));" },
	};
	const send = brevo(
		{ resource: 'automatedMessage', operation: 'send', visitorId: '={{ $json.visitorId }}', text: 'Quota test', sender: 'group', groupId: 'g1', options },
		credentialId,
		onError,
	);
	return chain(id, [manual(), code, send]);
}

const seededId = (key) => `e2eSec${key}`.padEnd(16, '0');
const SEEDED_AGENT = { msgGet: {}, msgUpd: {}, msgDel: {}, pshGet: { isPushed: true }, pshUpd: { isPushed: true }, pshDel: { isPushed: true } };
const COF = 'continueRegularOutput';

/** id → [workflow, expected HTTP status the fake answered] for the secrets part. */
const SECRET_WORKFLOWS = {
	secMsgSend000001: [single('secMsgSend000001', { resource: 'message', operation: 'send', visitorId: 'sec-send', text: 'hi', identifyAgentBy: 'id', agentId: 'a1' }, SECRET_CRED), 200],
	secMsgGet0000001: [single('secMsgGet0000001', { resource: 'message', operation: 'get', messageId: seededId('msgGet') }, SECRET_CRED), 200],
	secMsgUpd0000001: [single('secMsgUpd0000001', { resource: 'message', operation: 'update', messageId: seededId('msgUpd'), text: 'new' }, SECRET_CRED), 200],
	secMsgDel0000001: [single('secMsgDel0000001', { resource: 'message', operation: 'delete', messageId: seededId('msgDel') }, SECRET_CRED), 204],
	secAutSend000001: [single('secAutSend000001', { resource: 'automatedMessage', operation: 'send', visitorId: 'sec-push', text: 'hi', sender: 'group', groupId: 'g1' }, SECRET_CRED), 200],
	secAutGet0000001: [single('secAutGet0000001', { resource: 'automatedMessage', operation: 'get', messageId: seededId('pshGet') }, SECRET_CRED), 200],
	secAutUpd0000001: [single('secAutUpd0000001', { resource: 'automatedMessage', operation: 'update', messageId: seededId('pshUpd'), text: 'new' }, SECRET_CRED), 200],
	secAutDel0000001: [single('secAutDel0000001', { resource: 'automatedMessage', operation: 'delete', messageId: seededId('pshDel') }, SECRET_CRED), 204],
	secAgentOnline01: [single('secAgentOnline01', { resource: 'agent', operation: 'setOnline', identifyAgentBy: 'id', agentId: 'sec-agent' }, SECRET_CRED), 201],
	// 400: Brevo refuses to edit a visitor's message (the request reaches the fake with both keys).
	secFail400Stop01: [single('secFail400Stop01', { resource: 'message', operation: 'update', messageId: seededId('visitor'), text: 'x' }, SECRET_CRED), 400],
	secFail400Cof001: [single('secFail400Cof001', { resource: 'message', operation: 'update', messageId: seededId('visitor'), text: 'y' }, SECRET_CRED, COF), 400],
	secFail401Stop01: [single('secFail401Stop01', { resource: 'agent', operation: 'setOnline', identifyAgentBy: 'id', agentId: 'sec-401-stop' }, WRONG_CRED), 401],
	secFail401Cof001: [single('secFail401Cof001', { resource: 'agent', operation: 'setOnline', identifyAgentBy: 'id', agentId: 'sec-401-cof' }, WRONG_CRED, COF), 401],
	secFail404Stop01: [single('secFail404Stop01', { resource: 'message', operation: 'get', messageId: 'e2eSecNoSuchMsg1' }, SECRET_CRED), 404],
	secFail404Cof001: [single('secFail404Cof001', { resource: 'automatedMessage', operation: 'get', messageId: 'e2eSecNoSuchMsg2' }, SECRET_CRED, COF), 404],
	secFail500Stop01: [single('secFail500Stop01', { resource: 'message', operation: 'send', visitorId: 'sec-500-stop', text: 'x', identifyAgentBy: 'id', agentId: 'a1' }, SECRET_CRED), 500],
	secFail500Cof001: [single('secFail500Cof001', { resource: 'automatedMessage', operation: 'send', visitorId: 'sec-500-cof', text: 'x', sender: 'group', groupId: 'g1' }, SECRET_CRED, COF), 500],
};
const RATE_WORKFLOWS = {
	rateWaitDefault1: rateWorkflow('rateWaitDefault1', RATE_WAIT_CRED, {}),
	rateFailCof00001: rateWorkflow('rateFailCof00001', RATE_FAIL_CRED, { onRateLimit: 'fail' }, COF),
};
const BATCH = { ...RATE_WORKFLOWS, ...Object.fromEntries(Object.entries(SECRET_WORKFLOWS).map(([id, [wf]]) => [id, wf])) };

/** Webhook bodies as Brevo sends them, shared with the trigger's jest tests. */
const events = require('../test/fake-brevo/brevoEvents');

/** The examples as a user imports them (their webhook credential holds the token, not the workflow). */
const triggerWorkflow = () => ({ ...readExample('visitor-reply.json'), id: TRIGGER_WF, versionId: randomUUID() });
/** The fragment example with the one option a user would add to receive files: Download Visitor Files. */
const fragmentWorkflow = () => {
	const wf = readExample('conversation-auto-reply.json');
	const trigger = wf.nodes.find((n) => n.type.endsWith('.brevoConversationsTrigger'));
	// The fake file server is on 127.0.0.1, which the trigger refuses unless allowed.
	trigger.parameters.options = { ...trigger.parameters.options, downloadFiles: true, allowedFileHosts: '127.0.0.1' };
	return { ...wf, id: FRAGMENT_WF, versionId: randomUUID() };
};
/** The fragment example as a bot that also answers the opening message: both events, new webhook. */
const memoryWorkflow = () => {
	const wf = readExample('conversation-auto-reply.json');
	const trigger = wf.nodes.find((n) => n.type.endsWith('.brevoConversationsTrigger'));
	trigger.parameters.events = ['conversationStarted', 'conversationFragment'];
	trigger.webhookId = '7d3e9a40-5b1c-4f2e-8a6d-0c9b8e7f6a51';
	return { ...wf, id: MEMORY_WF, versionId: randomUUID() };
};
const webhookPath = (wf) => `/webhook/${wf.nodes.find((n) => n.webhookId).webhookId}/webhook`;

const query = (sql, params) => live.query(state.runtime, state.dbFile, sql, params);
const executionsOf = (workflowId) => live.executionsOf(state.runtime, state.dbFile, workflowId);

function summaryOf(id) {
	const summary = state.batch.executions.find((e) => e.workflowId === id);
	assert.ok(summary, `execute-batch reported nothing for ${id}`);
	return summary;
}
function itemsOf(id, nodeName = 'Brevo') {
	const summary = summaryOf(id);
	assert.equal(summary.executionStatus, 'success', `${id} failed: ${summary.error}`);
	const run = JSON.parse(fs.readFileSync(path.join(state.snapshots, `${id}-snapshot.json`), 'utf8'));
	return run.data.resultData.runData[nodeName][0].data.main[0];
}

function assertNoSentinel(text, where) {
	for (const sentinel of SENTINELS) assert.ok(!text.includes(sentinel), `${where} contains the secret ${sentinel}`);
}

async function setUp() {
	const started = Date.now();
	const runtime = (state.runtime = await ensureRuntime(RUNTIME));
	const home = (state.home = await homeWithPackage(runtime, 'brevo-live-e2e-'));
	state.dbFile = path.join(home, '.n8n', 'database.sqlite');

	const urls = {};
	for (const [name, fake] of Object.entries(fakes)) urls[name] = await fake.start();
	for (const [key, fields] of Object.entries(SEEDED_AGENT)) fakes.secret.seedAgentMessage(seededId(key), fields);
	fakes.secret.messages.set(seededId('visitor'), { id: seededId('visitor'), type: 'visitor', text: 'a visitor wrote this', visitorId: 'sec-visitor', isPushed: false });
	// A 500 for the two sends that ask for one (failNext would depend on the batch's order).
	const route = fakes.secret.route.bind(fakes.secret);
	fakes.secret.route = (method, url, body) => {
		if (/^sec-500-/.test(body?.visitorId ?? '')) throw new Error('Simulated internal error');
		return route(method, url, body);
	};

	const env = (state.env = await fakeBrevoN8nEnv(runtime, home, { N8N_ENCRYPTION_KEY: 'e2e-live-encryption-key-0123456789', N8N_LOG_LEVEL: 'debug' }));
	const input = path.join(home, 'input');
	fs.mkdirSync(path.join(input, 'workflows'), { recursive: true });
	const cred = (id, apiKey, partnerKey, baseUrl) => ({ id, name: id, type: 'brevoConversationsApi', data: { apiKey, partnerKey, baseUrl } });
	fs.writeFileSync(
		path.join(input, 'credentials.json'),
		JSON.stringify([
			cred(SECRET_CRED, API_SENTINEL, PARTNER_SENTINEL, urls.secret),
			cred(WRONG_CRED, `${API_SENTINEL}-wrong`, PARTNER_SENTINEL, urls.secret),
			cred(RATE_WAIT_CRED, 'xkeysib-rate-wait', '', urls.rateWait),
			cred(RATE_FAIL_CRED, 'xkeysib-rate-fail', '', urls.rateFail),
			cred(REPLY_CRED, 'xkeysib-reply-0123', '', urls.reply),
			{ id: WEBHOOK_CRED, name: 'Brevo Conversations webhook', type: 'brevoConversationsWebhookApi', data: { token: TRIGGER_SECRET } },
		]),
	);
	for (const [id, workflow] of Object.entries({ ...BATCH, [TRIGGER_WF]: triggerWorkflow(), [FRAGMENT_WF]: fragmentWorkflow(), [MEMORY_WF]: memoryWorkflow() })) {
		fs.writeFileSync(path.join(input, 'workflows', `${id}.json`), JSON.stringify(workflow));
	}
	const logged = (result) => (state.logs += result.stdout + result.stderr);
	logged(await runN8nOk(runtime, env, ['import:credentials', `--input=${path.join(input, 'credentials.json')}`]));
	logged(await runN8nOk(runtime, env, ['import:workflow', '--separate', `--input=${path.join(input, 'workflows')}`]));

	state.snapshots = path.join(home, 'snapshots');
	fs.mkdirSync(state.snapshots);
	const output = path.join(home, 'batch.json');
	const result = await runN8n(runtime, env, ['execute-batch', `--ids=${Object.keys(BATCH).join(',')}`, '--retries=0', `--output=${output}`, `--snapshot=${state.snapshots}`]);
	logged(result);
	if (!fs.existsSync(output)) throw new Error(`execute-batch wrote no results (exit ${result.code}):\n${result.stdout}${result.stderr}`);
	state.batchText = fs.readFileSync(output, 'utf8');
	state.batch = JSON.parse(state.batchText);
	process.stderr.write(`[live-e2e] ${RUNTIME}: setup + batch ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

async function startN8n() {
	const { runtime, env } = state;
	for (const id of [TRIGGER_WF, FRAGMENT_WF, MEMORY_WF]) state.logs += (await runN8nOk(runtime, env, ['publish:workflow', `--id=${id}`])).stdout;
	const { child, baseUrl } = await live.startN8n(runtime, env, (d) => (state.logs += d));
	state.n8n = child;
	state.baseUrl = baseUrl;
}

const stopN8n = () => live.stopN8n(state.n8n);

async function tearDown() {
	await stopN8n();
	for (const fake of Object.values(fakes)) await fake.stop().catch(() => {});
	if (state.home && !process.env.E2E_KEEP) fs.rmSync(state.home, { recursive: true, force: true });
	else if (state.home) process.stderr.write(`[live-e2e] kept ${state.home}\n`);
}

// n8n 1.x imports workflows without a workflow_history row, so its `update:workflow --active=true`
// fails on a FOREIGN KEY constraint: no way to activate an imported workflow from its CLI.
const liveSkip = /^1\./.test(RUNTIME) && 'n8n 1.x cannot activate an imported workflow from its CLI';

describe(`live n8n (${RUNTIME}): rate limits, secrets, the trigger`, () => {
	before(setUp, { timeout: 20 * 60 * 1000 });
	after(tearDown);

	describe('rate limits (issue 5): 25 items, Brevo quota 10 per 2 s', () => {
		test('Wait and Retry (default): all 25 delivered exactly once, in item order', () => {
			const items = itemsOf('rateWaitDefault1');
			assert.equal(items.length, 25);
			const expected = Array.from({ length: 25 }, (_, i) => `rate-visitor-${String(i).padStart(2, '0')}`);
			assert.deepEqual(items.map((i) => i.json.visitorId), expected);
			assert.ok(items.every((i) => typeof i.json.id === 'string' && i.json.error === undefined));
			const stored = [...fakes.rateWait.messages.values()].map((m) => m.visitorId);
			assert.equal(stored.length, 25, 'messages stored by the fake');
			assert.deepEqual([...new Set(stored)].sort(), expected);
			// The quota was really hit: some requests were answered 429 and sent again.
			const posts = fakes.rateWait.requests.filter((r) => r.path === '/v3/conversations/pushedMessages');
			assert.ok(posts.length > 25, `expected 429s and retries, got ${posts.length} requests`);
		});

		test('Fail + Continue On Fail: 25 out, 10 delivered, 15 item errors with the reset time, 25 requests', () => {
			const items = itemsOf('rateFailCof00001');
			assert.equal(items.length, 25);
			const sent = items.filter((i) => i.json.error === undefined);
			const failed = items.filter((i) => i.json.error !== undefined);
			assert.equal(sent.length, 10);
			assert.equal(failed.length, 15);
			for (const item of failed) assert.match(item.json.error, /rate limit is reached; the quota resets in \d+ s/);
			assert.equal(fakes.rateFail.messages.size, 10);
			assert.deepEqual(
				[...fakes.rateFail.messages.values()].map((m) => m.visitorId).sort(),
				sent.map((i) => i.json.visitorId).sort(),
			);
			assert.equal(fakes.rateFail.requests.length, 25);
			assert.equal(new Set(fakes.rateFail.requests.map((r) => r.body.visitorId)).size, 25, 'no item sent twice');
		});
	});

	describe('secrets (issue 5): sentinel API key and partner key', () => {
		test('every operation succeeded and every request carried both keys', () => {
			for (const [id, [, status]] of Object.entries(SECRET_WORKFLOWS)) {
				if (status >= 400) continue;
				const items = itemsOf(id);
				assert.equal(items.length, 1, id);
				assert.equal(items[0].json.error, undefined, id);
			}
			const fromSecret = fakes.secret.requests.filter((r) => r.headers['api-key'] === API_SENTINEL);
			assert.ok(fromSecret.length >= 13, `requests with the key: ${fromSecret.length}`);
			for (const r of fromSecret) assert.equal(r.headers['partner-key'], PARTNER_SENTINEL);
			const paths = fromSecret.map((r) => `${r.method} ${r.path.replace(/\/e2eSec\w+$/, '/:id')}`);
			for (const route of [
				'POST /v3/conversations/messages',
				'GET /v3/conversations/messages/:id',
				'PUT /v3/conversations/messages/:id',
				'DELETE /v3/conversations/messages/:id',
				'POST /v3/conversations/pushedMessages',
				'GET /v3/conversations/pushedMessages/:id',
				'PUT /v3/conversations/pushedMessages/:id',
				'DELETE /v3/conversations/pushedMessages/:id',
				'POST /v3/conversations/agentOnlinePing',
			]) {
				assert.ok(paths.includes(route), `no ${route} in ${paths.join(', ')}`);
			}
		});

		test('400, 401, 404 and 500 fail the execution, or the item with Continue On Fail', () => {
			const expectations = { 400: /agents' messages|Bad request|400/i, 401: /API key|Key not found|401/i, 404: /no message with ID|not found|404/i, 500: /500|internal|server/i };
			for (const [id, [, status]] of Object.entries(SECRET_WORKFLOWS)) {
				if (status < 400) continue;
				if (/Cof/.test(id)) {
					const [item] = itemsOf(id);
					assert.match(item.json.error, expectations[status], `${id}: ${item.json.error}`);
				} else {
					const summary = summaryOf(id);
					assert.notEqual(summary.executionStatus, 'success', id);
					assert.match(summary.error, expectations[status], `${id}: ${summary.error}`);
				}
			}
			// Each failure came from the fake (the request reached it), with the keys as sent.
			const wrong = fakes.secret.requests.filter((r) => /^sec-401-/.test(r.body?.agentId ?? ''));
			assert.equal(wrong.length, 2);
			for (const r of wrong) assert.equal(r.headers['api-key'], `${API_SENTINEL}-wrong`);
			assert.equal(fakes.secret.requests.filter((r) => /^sec-500-/.test(r.body?.visitorId ?? '')).length, 2);
			assert.equal(fakes.secret.requests.filter((r) => r.path.endsWith(seededId('visitor'))).length, 2);
			assert.equal(fakes.secret.requests.filter((r) => /e2eSecNoSuchMsg/.test(r.path)).length, 2);
		});

		test('n8n stored an execution for every batch workflow in its database', async () => {
			for (const id of Object.keys(SECRET_WORKFLOWS)) {
				const executions = await executionsOf(id);
				assert.equal(executions.length, 1, `${id}: ${executions.length} executions stored`);
				assert.ok(executions[0].data, `${id}: no execution data stored`);
			}
			// The stored execution data and workflows, as n8n reads them back (WAL included).
			const rows = await query("SELECT d.data AS text FROM execution_data d UNION ALL SELECT nodes FROM workflow_entity");
			assert.ok(rows.length >= Object.keys(BATCH).length);
			assertNoSentinel(rows.map((r) => r.text).join('\n'), 'execution data stored by n8n');
		});

		test('the sentinels are in no output item, no batch result, no snapshot', () => {
			assertNoSentinel(state.batchText, 'execute-batch output');
			for (const file of fs.readdirSync(state.snapshots)) {
				assertNoSentinel(fs.readFileSync(path.join(state.snapshots, file), 'utf8'), `snapshot ${file}`);
			}
		});
	});

	describe('the trigger (issues 6, 11): the trigger examples, active in `n8n start`', { skip: liveSkip }, () => {
		let url;
		before(
			async () => {
				await startN8n();
				url = `${state.baseUrl}${webhookPath(triggerWorkflow())}`;
			},
			{ timeout: 180000 },
		);

		const post = (query, body, raw, to = url) =>
			fetch(`${to}${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) });

		const finishedExecutions = (workflowId, count) => live.finishedExecutions(state.runtime, state.dbFile, workflowId, count);

		test('rejected and ignored calls start nothing; one valid conversationStarted starts one execution and one reply', async () => {
			const token = `?token=${TRIGGER_SECRET}`;
			// n8n reports ready before it has registered the production webhooks: 404 until then.
			const first = await waitFor(
				async () => {
					const r = await post('?token=wrongWrongWrong0123456789', events.conversationStarted());
					return r.status === 404 ? undefined : r;
				},
				30000,
				'the production webhook to be registered',
				200, // each check is an HTTP call or a database query in a child process
			);
			assert.equal(first.status, 403, await first.text());
			const missing = await post('', events.conversationStarted());
			assert.equal(missing.status, 401, await missing.text());
			const unselected = await post(token, events.conversationTranscript());
			assert.equal(unselected.status, 200);
			assert.match(await unselected.text(), /Event not selected/);
			const echo = await post(token, events.conversationStarted({ ...events.visitorMessage(), receivedFrom: 'n8n-welcome-bot' }));
			assert.equal(echo.status, 200);
			assert.match(await echo.text(), /Only ignored messages/);
			// Broken JSON: n8n's body parser answers it (422 on 2.x) before the trigger sees it.
			const unparsable = await post(token, undefined, '{"eventName": ');
			assert.ok([400, 422].includes(unparsable.status), `${unparsable.status} ${await unparsable.text()}`);
			// JSON that is not a Brevo event: the trigger's own 400.
			for (const body of [{ hello: 'world' }, [events.conversationStarted()], { eventName: 42 }]) {
				const malformed = await post(token, body);
				assert.equal(malformed.status, 400, JSON.stringify(body));
				assert.match(await malformed.text(), /Expected a JSON object with an eventName/);
			}

			// Nothing ran: n8n recorded no execution, the fake got no reply.
			await new Promise((resolve) => setTimeout(resolve, 1500));
			assert.deepEqual(await executionsOf(TRIGGER_WF), []);
			assert.equal(fakes.reply.requests.length, 0);

			const valid = await post(token, events.conversationStarted());
			assert.equal(valid.status, 200);
			const executions = await finishedExecutions(TRIGGER_WF, 1);
			const [execution] = executions;
			assert.equal(executions.length, 1, 'exactly one execution');
			assert.equal(execution.status, 'success');
			assert.equal(execution.mode, 'webhook');
			const runData = execution.data.resultData.runData;
			const triggerOut = runData['Brevo Conversations Trigger'][0].data.main[0].map((i) => i.json);
			assert.deepEqual(triggerOut, [
				{
					eventName: 'conversationStarted',
					conversationId: events.CONVERSATION_ID,
					visitorId: events.VISITOR_ID,
					visitorName: 'Cyan Fox',
					visitorEmail: 'cyan.fox@example.com',
					messageText: 'Hi, where is my order?',
					messageId: 'dkmyYPxJyh5rKDhRT',
					visitorMessages: [{ id: 'dkmyYPxJyh5rKDhRT', text: 'Hi, where is my order?', createdAt: 1665578322700 }],
					visitorText: 'Hi, where is my order?',
					language: 'en-GB',
					channel: 'widget',
					startPageUrl: 'https://shop.example.com/orders',
					startPageTitle: 'My orders',
					noAgentOnline: false,
				},
			]);
			assert.deepEqual(await valid.json(), { message: 'Workflow was started', eventName: 'conversationStarted' });
			const replyOut = runData['Reply to the visitor'][0].data.main[0].map((i) => i.json);
			assert.equal(replyOut.length, 1);

			assert.equal(fakes.reply.requests.length, 1, 'exactly one request to Brevo');
			const [request] = fakes.reply.requests;
			assert.equal(request.method, 'POST');
			assert.equal(request.path, '/v3/conversations/messages');
			assert.equal(request.headers['api-key'], 'xkeysib-reply-0123');
			assert.deepEqual(request.body, {
				visitorId: events.VISITOR_ID,
				text: 'Hi Cyan Fox! Thanks for writing to us. An agent will be with you in a moment.',
				agentEmail: 'welcome-bot@example.com',
				agentName: 'Welcome Bot',
				receivedFrom: 'n8n-welcome-bot',
			});
			assert.equal(fakes.reply.messages.size, 1);
			assert.deepEqual(replyOut[0], JSON.parse(JSON.stringify([...fakes.reply.messages.values()][0])));
		});

		test('conversation-auto-reply: agent-only and automated-only fragments start 0 executions; a visitor\'s 3 messages start 1 carrying all 3', async () => {
			const fragmentUrl = `${state.baseUrl}${webhookPath(fragmentWorkflow())}`;
			const token = `?token=${TRIGGER_SECRET}`;
			const before = fakes.reply.requests.length;
			const agentOnly = await post(token, events.conversationFragment([events.agentMessage('lvA1', 'Julia here, checking', 10)]), undefined, fragmentUrl);
			assert.equal(agentOnly.status, 200);
			assert.match(await agentOnly.text(), /No visitor message in the event/);
			const automatedOnly = await post(token, events.conversationFragment([events.automatedMessage('lvP1', 'Your parcel has shipped', 20)]), undefined, fragmentUrl);
			assert.equal(automatedOnly.status, 200);
			assert.match(await automatedOnly.text(), /No visitor message in the event/);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			assert.deepEqual(await executionsOf(FRAGMENT_WF), [], 'agent-only and automated-only fragments started nothing');
			assert.equal(fakes.reply.requests.length, before);

			const three = events.conversationFragment([
				events.visitorMessage('lvV3', 'It was due on Monday.', 300),
				events.visitorMessage('lvV1', 'Hi,', 100),
				events.agentMessage('lvA2', 'Looking', 150),
				events.visitorMessage('lvV2', 'where is order 1042?', 200),
			]);
			assert.equal((await post(token, three, undefined, fragmentUrl)).status, 200);
			const executions = await finishedExecutions(FRAGMENT_WF, 1);
			assert.equal(executions.length, 1, 'exactly one execution');
			assert.equal(executions[0].status, 'success');
			const [item] = executions[0].data.resultData.runData['Brevo Conversations Trigger'][0].data.main[0];
			assert.deepEqual(item.json.visitorMessages, [
				{ id: 'lvV1', text: 'Hi,', createdAt: 100 },
				{ id: 'lvV2', text: 'where is order 1042?', createdAt: 200 },
				{ id: 'lvV3', text: 'It was due on Monday.', createdAt: 300 },
			]);
			assert.equal(item.json.visitorText, 'Hi,\nwhere is order 1042?\nIt was due on Monday.');
			const replies = fakes.reply.requests.slice(before);
			assert.equal(replies.length, 1, 'exactly one reply');
			assert.equal(replies[0].body.text, 'Thanks Cyan Fox, we got your 3 messages: "Hi,\nwhere is order 1042?\nIt was due on Monday.". An agent will answer here shortly.');

			// The reply comes back from Brevo as the next fragment: it starts nothing.
			const stored = fakes.reply.messages.get(executions[0].data.resultData.runData['Acknowledge the visitor'][0].data.main[0][0].json.id);
			assert.ok(stored, 'the reply is stored at the fake Brevo');
			const echo = await post(token, events.conversationFragment([{ ...stored, createdAt: 400 }]), undefined, fragmentUrl);
			assert.equal(echo.status, 200);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			assert.equal((await executionsOf(FRAGMENT_WF)).length, 1, 'the echo started nothing');
		});

		test('a visitor\'s file reaches the execution as binary data', async () => {
			const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2048, 9)]);
			const link = fakes.reply.seedFile('damaged parcel.png', png, 'image/png');
			const fragmentUrl = `${state.baseUrl}${webhookPath(fragmentWorkflow())}`;
			const already = (await executionsOf(FRAGMENT_WF)).length;
			const body = events.conversationFragment([
				events.visitorFileMessage('lvF1', 500, [{ name: 'damaged parcel.png', link, mimeType: 'image/png' }], { text: 'See the photo' }),
			]);
			assert.equal((await post(`?token=${TRIGGER_SECRET}`, body, undefined, fragmentUrl)).status, 200);
			const executions = await finishedExecutions(FRAGMENT_WF, already + 1);
			assert.equal(executions.length, already + 1);
			const execution = executions[executions.length - 1];
			assert.equal(execution.status, 'success');
			const [item] = execution.data.resultData.runData['Brevo Conversations Trigger'][0].data.main[0];
			assert.ok(item.binary?.attachment_0, `no binary data: ${JSON.stringify(item)}`);
			const { fileName, mimeType, fileSize, bytes } = item.binary.attachment_0;
			assert.equal(fileName, 'damaged parcel.png');
			assert.equal(mimeType, 'image/png');
			// n8n's binary data mode decides where the bytes live (inline base64 or its binary store);
			// the size it recorded is the file's.
			if (bytes !== undefined) assert.equal(bytes, png.length);
			else assert.match(String(fileSize), /2\.\d+ kB/);
			assert.deepEqual(item.json.downloadedFiles, [
				{ binaryProperty: 'attachment_0', fileName: 'damaged parcel.png', mimeType: 'image/png', fileSize: png.length, messageId: 'lvF1' },
			]);
			assert.deepEqual(item.json.skippedFiles, []);
			assert.equal(fakes.reply.requests.filter((r) => r.path.startsWith('/files/')).length, 1, 'the file was fetched once');
		});

		test('each visitor message starts once, a human agent pauses the bot, and both hold across an n8n restart right after the call', async () => {
			// n8n listens on a new port after the restart below: the URL is built for each call.
			const memoryUrl = () => `${state.baseUrl}${webhookPath(memoryWorkflow())}`;
			const token = `?token=${TRIGGER_SECRET}`;
			const inConversation = (conversationId, body) => ({ ...body, conversationId });
			const send = async (conversationId, body) => {
				const response = await post(token, inConversation(conversationId, body), undefined, memoryUrl());
				const text = await response.text();
				assert.equal(response.status, 200, text);
				return JSON.parse(text).message;
			};
			const now = Date.now();
			const first = events.visitorMessage('lvM1', 'Do you ship to Portugal?', now);
			// Conversation Started, the same message in the first fragment, the fragment again, then a new message.
			assert.equal(await send('lvConv1', events.conversationStarted(first)), 'Workflow was started');
			assert.match(await send('lvConv1', events.conversationFragment([first])), /already started the workflow/);
			assert.match(await send('lvConv1', events.conversationFragment([first])), /already started the workflow/);
			assert.equal(await send('lvConv1', events.conversationFragment([first, events.visitorMessage('lvM2', 'And Spain?', now + 1)])), 'Workflow was started');
			// A human agent answers: the visitor's next message starts nothing.
			await send('lvConv2', events.conversationFragment([events.agentMessage('lvH1', 'Julia here', now)]));
			assert.match(await send('lvConv2', events.conversationFragment([events.visitorMessage('lvM3', 'Thanks Julia', now + 1)])), /human agent/);
			// The bot's own reply (its Received From label) pauses nothing.
			await send('lvConv3', events.conversationFragment([events.agentMessage('lvR1', 'Bot reply', now, { receivedFrom: 'n8n-support-bot' })]));
			assert.equal(await send('lvConv3', events.conversationFragment([events.visitorMessage('lvM4', 'One more thing', now + 1)])), 'Workflow was started');
			const executions = await finishedExecutions(MEMORY_WF, 3);
			const startedIds = executions.map((e) => e.data.resultData.runData['Brevo Conversations Trigger'][0].data.main[0][0].json.messageId).sort();
			assert.deepEqual(startedIds, ['lvM1', 'lvM2', 'lvM4']);

			// n8n restarted right after a call, with no other call in between (a workflow whose replies
			// never come back, or the last message of the day): what the call remembered is in the database.
			assert.equal(await send('lvConv4', events.conversationFragment([events.visitorMessage('lvM5', 'Before the restart', now)])), 'Workflow was started');
			await finishedExecutions(MEMORY_WF, 4);
			const savedStates = async () => {
				const [row] = await live.query(state.runtime, state.dbFile, 'SELECT staticData FROM workflow_entity WHERE id = ?', [MEMORY_WF]);
				const staticData = typeof row?.staticData === 'string' ? JSON.parse(row.staticData) : row?.staticData;
				// One string (conversationMemory.ts), read with the package's own decoder (built by the run)
				const { decodeStates } = require('../dist/nodes/BrevoConversationsTrigger/helpers/conversationMemory');
				return decodeStates(staticData?.['node:Brevo Conversations Trigger']?.conversations, Date.now());
			};
			const savedConversations = async () => [...(await savedStates()).keys()].sort();
			// The trigger answers Brevo itself, so n8n saves before it starts the execution, on every runtime
			// (n8n 2.41 would not save a starting call it answered: docs/upstream/webhook-static-data-save.md).
			assert.deepEqual(await savedConversations(), ['lvConv1', 'lvConv2', 'lvConv3', 'lvConv4'], 'the starting call\'s memory is in the database at once');
			// A human agent answers in another conversation, and n8n stops right after.
			await send('lvConv5', events.conversationFragment([events.agentMessage('lvH5', 'Julia here', now)]));
			await stopN8n();
			const stopped = await savedStates();
			assert.deepEqual([...stopped.keys()].sort(), ['lvConv1', 'lvConv2', 'lvConv3', 'lvConv4', 'lvConv5'], 'still saved after n8n stopped');
			assert.deepEqual(stopped.get('lvConv4').delivered, ['lvM5']);
			assert.ok(stopped.get('lvConv5').pausedUntil > Date.now(), 'the pause is saved');
			await startN8n();
			const again = await waitFor(
				async () => {
					const r = await post(token, inConversation('lvConv4', events.conversationFragment([events.visitorMessage('lvM5', 'Before the restart', now)])), undefined, memoryUrl());
					return r.status === 404 ? undefined : r;
				},
				30000,
				'the production webhook to be registered again',
				200,
			);
			assert.match(await again.text(), /already started the workflow/);
			assert.match(await send('lvConv5', events.conversationFragment([events.visitorMessage('lvM6', 'Thanks Julia', now + 1)])), /human agent/, 'still paused after the restart');
			await new Promise((resolve) => setTimeout(resolve, 1500));
			assert.equal((await executionsOf(MEMORY_WF)).length, 4, 'one execution per new visitor message, none for deliveries again');
		});

		test('`n8n export:workflow` of the examples contains no token', async () => {
			const file = path.join(state.home, 'export.json');
			const result = await runN8nOk(state.runtime, state.env, ['export:workflow', '--all', `--output=${file}`]);
			state.logs += result.stdout + result.stderr;
			const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
			for (const id of [TRIGGER_WF, FRAGMENT_WF]) {
				const workflow = exported.find((wf) => wf.id === id);
				assert.ok(workflow, `${id} is in the export`);
				const trigger = workflow.nodes.find((n) => n.type.endsWith('.brevoConversationsTrigger'));
				assert.deepEqual(Object.keys(trigger.credentials), ['brevoConversationsWebhookApi'], 'the export names the credential');
			}
			assert.ok(!fs.readFileSync(file, 'utf8').includes(TRIGGER_SECRET), 'the export contains the token');
		});
	});

	describe('after n8n stopped', () => {
		test('the sentinels are nowhere in n8n\'s database files or log output', async () => {
			await stopN8n();
			const dir = path.dirname(state.dbFile);
			const files = fs.readdirSync(dir).filter((f) => f.startsWith('database.sqlite'));
			assert.ok(files.includes('database.sqlite'));
			let all = Buffer.alloc(0);
			for (const file of files) {
				const bytes = fs.readFileSync(path.join(dir, file));
				all = Buffer.concat([all, bytes]);
				for (const sentinel of SENTINELS) {
					assert.equal(bytes.indexOf(Buffer.from(sentinel)), -1, `${file} contains ${sentinel}`);
					assert.equal(bytes.indexOf(Buffer.from(sentinel, 'utf16le')), -1, `${file} contains ${sentinel} (UTF-16)`);
				}
			}
			// The database holds the failures' data (so the check above looked at something).
			assert.ok(all.includes('e2eSecNoSuchMsg1'), `no workflow data found in ${files.join(', ')}`);
			assert.ok(state.logs.length > 0);
			assertNoSentinel(state.logs, "n8n's log output");
		});
	});
});
