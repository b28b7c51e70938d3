'use strict';
/**
 * End-to-end: the packed package installed as a community package in a real n8n (2.41.1 on Node 24
 * by default; E2E_RUNTIME=2.8.4 or 1.123.0 for those on Node 20), every operation, the examples,
 * Continue On Fail and a wrong API key, against the fake Brevo server on 127.0.0.1.
 *
 *   npm run test:e2e            (first run installs n8n into .cache/: ≈ 5–8 min; later < 1 min)
 *
 * One n8n process runs all workflows (`n8n execute-batch`), so setup happens once in `before` and
 * each test asserts on n8n's output items and on the requests the fake server recorded. Then one
 * `n8n start` serves the order-status example's production webhook. E2E_KEEP=1 keeps the n8n home.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');
const { FakeBrevo } = require('../test/fake-brevo/server');
const { DEFAULT_VERSION, ensureRuntime } = require('./runtime');
const { visitorIdFor } = require('./visitorId');
const { fakeBrevoN8nEnv, homeWithPackage, runN8n, runN8nOk, waitFor } = require('./n8n');
const { startN8n, stopN8n } = require('./liveN8n');
const { NODE_TYPE, itemsWorkflow, readExample, runnableExample, singleNodeWorkflow } = require('./workflows');

const RUNTIME = process.env.E2E_RUNTIME || DEFAULT_VERSION;
const API_KEY = 'xkeysib-e2e-0123456789';
const GOOD = 'brevoStartCred01'; // the credential ID the examples name
const BAD = 'e2eBadKeyCred001';
const PER_ITEM = 'e2ePerItemCred01'; // its API key is an expression: one n8n serving two Brevo accounts
const TENANT_KEYS = ['xkeysib-e2e-tenant-a', 'xkeysib-e2e-tenant-b'];
const good = { credentialId: GOOD };
const continueOnFail = { credentialId: GOOD, onError: 'continueRegularOutput' };
/** The order example's Crypto credential (Hmac Secret) and the visitor ID it derives from a customer ID */
const VISITOR_SECRET = 'e2e-visitor-id-secret-0123456789abcdef';
const visitorIdOf = (customerId) => visitorIdFor(VISITOR_SECRET, customerId);

const fake = new FakeBrevo({ apiKey: [API_KEY, ...TENANT_KEYS] });
const state = { batch: undefined, snapshots: '', runtime: undefined, n8nVersion: '' };

/** Messages that exist before the run, with fixed IDs the workflows name. */
/** Messages the fake holds before n8n runs (FakeBrevo#seedAgentMessage), by key. */
const SEEDED = {
	msgGet: { text: 'Seeded agent message' },
	msgUpd: { text: 'Before the update' },
	msgDel: { text: 'To be deleted' },
	pushGet: { text: 'Seeded pushed message', isPushed: true },
	pushUpd: { text: 'Pushed, before the update', isPushed: true },
	pushDel: { text: 'Pushed, to be deleted', isPushed: true },
	cofA: { text: 'First of three' },
	cofB: { text: 'Third of three' },
};
const seeded = {};
const seededId = (key) => `e2eSeed${key}`.padEnd(16, '0');
const MISSING_ID = 'e2eNoSuchMessage';

/** id → workflow; IDs need a digit (execute-batch filters on /\d+/). */
/** The order examples derive the visitor ID with the Crypto node's version 2 (secret in a credential). */
const ORDER_SKIP = /^1\./.test(RUNTIME) && 'n8n 1.x has no Crypto node version 2 (HMAC with its secret in a credential), which the order examples use';

const WORKFLOWS = {
	e2eMessageSend01: singleNodeWorkflow(
		'e2eMessageSend01',
		{ resource: 'message', operation: 'send', visitorId: 'e2e-visitor-send', text: 'Hello from n8n e2e', identifyAgentBy: 'id', agentId: 'e2e-agent-1' },
		good,
	),
	e2eMessageGet001: singleNodeWorkflow('e2eMessageGet001', { resource: 'message', operation: 'get', messageId: seededId('msgGet') }, good),
	e2eMessageUpd001: singleNodeWorkflow(
		'e2eMessageUpd001',
		{ resource: 'message', operation: 'update', messageId: seededId('msgUpd'), text: 'After the update' },
		good,
	),
	e2eMessageDel001: singleNodeWorkflow('e2eMessageDel001', { resource: 'message', operation: 'delete', messageId: seededId('msgDel') }, good),
	e2eAutoMsgSend01: singleNodeWorkflow(
		'e2eAutoMsgSend01',
		{ resource: 'automatedMessage', operation: 'send', visitorId: 'e2e-visitor-push', text: 'Your order shipped', sender: 'group', groupId: 'e2e-group-1' },
		good,
	),
	e2eAutoMsgGet001: singleNodeWorkflow('e2eAutoMsgGet001', { resource: 'automatedMessage', operation: 'get', messageId: seededId('pushGet') }, good),
	e2eAutoMsgUpd001: singleNodeWorkflow(
		'e2eAutoMsgUpd001',
		{ resource: 'automatedMessage', operation: 'update', messageId: seededId('pushUpd'), text: 'Pushed, after the update' },
		good,
	),
	e2eAutoMsgDel001: singleNodeWorkflow('e2eAutoMsgDel001', { resource: 'automatedMessage', operation: 'delete', messageId: seededId('pushDel') }, good),
	e2eAgentOnline01: singleNodeWorkflow(
		'e2eAgentOnline01',
		{ resource: 'agent', operation: 'setOnline', identifyAgentBy: 'id', agentId: 'e2e-agent-online' },
		good,
	),
	e2eContOnFail001: itemsWorkflow(
		'e2eContOnFail001',
		[{ messageId: seededId('cofA') }, { messageId: MISSING_ID }, { messageId: seededId('cofB') }],
		{ resource: 'message', operation: 'get', messageId: '={{ $json.messageId }}' },
		continueOnFail,
	),
	e2eBadApiKey0001: singleNodeWorkflow(
		'e2eBadApiKey0001',
		{ resource: 'agent', operation: 'setOnline', identifyAgentBy: 'id', agentId: 'e2e-agent-badkey' },
		{ credentialId: BAD },
	),
	e2eBadApiKeyCof1: singleNodeWorkflow(
		'e2eBadApiKeyCof1',
		{ resource: 'agent', operation: 'setOnline', identifyAgentBy: 'id', agentId: 'e2e-agent-badkey-cof' },
		{ credentialId: BAD, onError: 'continueRegularOutput' },
	),
	e2eKeyPerItem001: itemsWorkflow(
		'e2eKeyPerItem001',
		[0, 1, 2, 3].map((i) => ({ apiKey: TENANT_KEYS[i % 2], agentId: `e2e-agent-tenant-${i}` })),
		{ resource: 'agent', operation: 'setOnline', identifyAgentBy: 'id', agentId: '={{ $json.agentId }}' },
		{ credentialId: PER_ITEM },
	),
	...(ORDER_SKIP ? {} : { exOrderStatus001: runnableExample('order-status-automated-message.json') }),
	exAgentOnline001: runnableExample('keep-agent-online.json'),
	exRoundTrip00001: runnableExample('message-round-trip.json'),
};

/** The order-status example exactly as users import it (Webhook trigger), for the live n8n test. */
const LIVE_ID = 'exOrderStatusLive1';
const liveExample = { ...readExample('order-status-automated-message.json'), id: LIVE_ID };

/** The execution of one workflow: its batch summary entry and, when it succeeded, n8n's run data. */
function execution(workflowId) {
	const summary = state.batch.executions.find((e) => e.workflowId === workflowId);
	assert.ok(summary, `execute-batch reported nothing for ${workflowId}`);
	const file = path.join(state.snapshots, `${workflowId}-snapshot.json`);
	const run = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
	return { summary, run };
}

/** The items a node output, as n8n stored them ({json, pairedItem, …}). */
function outputOf(workflowId, nodeName) {
	const { summary, run } = execution(workflowId);
	assert.equal(summary.executionStatus, 'success', `${workflowId} failed: ${summary.error}`);
	const task = run.data.resultData.runData[nodeName];
	assert.ok(task, `${workflowId}: node "${nodeName}" did not run`);
	assert.equal(task[0].executionStatus ?? 'success', 'success');
	return task[0].data.main[0];
}

const byVisitor = (visitorId) => (request) => request.body?.visitorId === visitorId;
const requestsTo = (method, pathname) => fake.requests.filter((r) => r.method === method && r.path === pathname);

/**
 * Exactly one request to this route (among those `where` picks: several workflows post to the same
 * route) reached the server; it carried the API key, no partner-key header, and this body.
 */
function assertOneRequest(method, pathname, body, where = () => true) {
	const found = requestsTo(method, pathname).filter(where);
	assert.equal(found.length, 1, `${method} ${pathname}: expected 1 request, got ${found.length}`);
	const [request] = found;
	assert.equal(request.headers['api-key'], API_KEY);
	assert.equal(request.headers['partner-key'], undefined);
	assert.deepEqual(request.body, body);
	return request;
}

/** Packs and installs the package, starts the fake server, imports everything, runs the batch. */
async function setUp() {
	const started = Date.now();
	const runtime = (state.runtime = await ensureRuntime(RUNTIME));
	const home = (state.home = await homeWithPackage(runtime, 'brevo-e2e-'));

	const baseUrl = await fake.start();
	for (const [key, fields] of Object.entries(SEEDED)) seeded[key] = fake.seedAgentMessage(seededId(key), fields);

	const env = await fakeBrevoN8nEnv(runtime, home, { N8N_ENCRYPTION_KEY: 'e2e-fixed-encryption-key-0123456789', N8N_LOG_LEVEL: 'warn' });
	const files = path.join(home, 'input');
	fs.mkdirSync(path.join(files, 'workflows'), { recursive: true });
	const credentials = [
		{ id: GOOD, name: 'Brevo (fake server)', type: 'brevoConversationsApi', data: { apiKey: API_KEY, partnerKey: '', baseUrl } },
		{ id: BAD, name: 'Brevo (wrong key)', type: 'brevoConversationsApi', data: { apiKey: 'xkeysib-wrong', partnerKey: '', baseUrl } },
		{ id: PER_ITEM, name: 'Brevo (key per item)', type: 'brevoConversationsApi', data: { apiKey: '={{ $json.apiKey }}', partnerKey: '', baseUrl } },
		{ ...liveExample.nodes.find((n) => n.credentials?.crypto).credentials.crypto, type: 'crypto', data: { hmacSecret: VISITOR_SECRET } },
	];
	fs.writeFileSync(path.join(files, 'credentials.json'), JSON.stringify(credentials));
	for (const [id, workflow] of Object.entries({ ...WORKFLOWS, [LIVE_ID]: liveExample })) {
		fs.writeFileSync(path.join(files, 'workflows', `${id}.json`), JSON.stringify(workflow));
	}
	state.env = env;
	state.n8nVersion = (await runN8nOk(runtime, env, ['--version'])).stdout.trim();
	await runN8nOk(runtime, env, ['import:credentials', `--input=${path.join(files, 'credentials.json')}`]);
	await runN8nOk(runtime, env, ['import:workflow', '--separate', `--input=${path.join(files, 'workflows')}`]);

	state.snapshots = path.join(home, 'snapshots');
	fs.mkdirSync(state.snapshots);
	const output = path.join(home, 'batch.json');
	const batchStarted = Date.now();
	// Exit code 1 whenever a workflow fails, which some here must: the tests judge the output.
	const result = await runN8n(runtime, env, [
		'execute-batch',
		`--ids=${Object.keys(WORKFLOWS).join(',')}`,
		'--retries=0',
		`--output=${output}`,
		`--snapshot=${state.snapshots}`,
	]);
	if (!fs.existsSync(output)) throw new Error(`execute-batch wrote no results (exit ${result.code}):\n${result.stdout}${result.stderr}`);
	state.batch = JSON.parse(fs.readFileSync(output, 'utf8'));
	state.log = result.stdout + result.stderr;
	process.stderr.write(
		`[e2e] ${state.n8nVersion} on Node ${runtime.nodeVersion}: ${state.batch.executions.length} workflows in ` +
			`${((Date.now() - batchStarted) / 1000).toFixed(1)} s (setup + run ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
	);
}

async function tearDown() {
	if (state.n8n && state.n8n.exitCode === null) state.n8n.kill('SIGKILL');
	await fake.stop();
	if (state.home && !process.env.E2E_KEEP) fs.rmSync(state.home, { recursive: true, force: true });
	else if (state.home) process.stderr.write(`[e2e] kept ${state.home}\n`);
}

describe(`n8n-nodes-brevo-conversations in a real n8n (${RUNTIME})`, () => {
	before(setUp, { timeout: 20 * 60 * 1000 });
	after(tearDown);

	describe('every workflow in one `n8n execute-batch`', () => {
		test('n8n loaded the community package and ran every workflow', () => {
			assert.equal(state.batch.executions.length, Object.keys(WORKFLOWS).length, state.log);
			assert.ok(!/Unrecognized node type/i.test(state.log), state.log);
			assert.ok(state.batch.coveredNodes[NODE_TYPE] >= 12, JSON.stringify(state.batch.coveredNodes));
		});

		describe('Message', () => {
			test('Send as an agent: POST /conversations/messages with the agent ID', () => {
				const [item] = outputOf('e2eMessageSend01', 'Brevo');
				assertOneRequest('POST', '/v3/conversations/messages', {
					visitorId: 'e2e-visitor-send',
					text: 'Hello from n8n e2e',
					agentId: 'e2e-agent-1',
				}, byVisitor('e2e-visitor-send'));
				assert.equal(typeof item.json.id, 'string');
				assert.deepEqual(item.json, JSON.parse(JSON.stringify(fake.messages.get(item.json.id))));
				assert.deepEqual(item.pairedItem, { item: 0 });
			});

			test('Get: GET /conversations/messages/{id} returns the message as is', () => {
				const items = outputOf('e2eMessageGet001', 'Brevo');
				assertOneRequest('GET', `/v3/conversations/messages/${seededId('msgGet')}`, undefined);
				assert.deepEqual(
					items.map((i) => i.json),
					[seeded.msgGet],
				);
			});

			test('Update: PUT /conversations/messages/{id} with the new text', () => {
				const [item] = outputOf('e2eMessageUpd001', 'Brevo');
				assertOneRequest('PUT', `/v3/conversations/messages/${seededId('msgUpd')}`, { text: 'After the update' });
				assert.equal(item.json.text, 'After the update');
				assert.equal(fake.messages.get(seededId('msgUpd')).text, 'After the update');
			});

			test('Delete: DELETE /conversations/messages/{id} → {deleted: true}', () => {
				const items = outputOf('e2eMessageDel001', 'Brevo');
				assertOneRequest('DELETE', `/v3/conversations/messages/${seededId('msgDel')}`, undefined);
				assert.deepEqual(items.map((i) => i.json), [{ deleted: true }]);
				assert.equal(fake.messages.has(seededId('msgDel')), false);
			});
		});

		describe('Automated Message', () => {
			test('Send from an agent of a group: POST /conversations/pushedMessages with groupId', () => {
				const [item] = outputOf('e2eAutoMsgSend01', 'Brevo');
				assertOneRequest('POST', '/v3/conversations/pushedMessages', {
					visitorId: 'e2e-visitor-push',
					text: 'Your order shipped',
					groupId: 'e2e-group-1',
				}, byVisitor('e2e-visitor-push'));
				assert.equal(item.json.isPushed, true);
				assert.equal(item.json.agentId, 'agent-of-e2e-group-1');
			});

			test('Get: GET /conversations/pushedMessages/{id}', () => {
				const items = outputOf('e2eAutoMsgGet001', 'Brevo');
				assertOneRequest('GET', `/v3/conversations/pushedMessages/${seededId('pushGet')}`, undefined);
				assert.deepEqual(
					items.map((i) => i.json),
					[seeded.pushGet],
				);
			});

			test('Update: PUT /conversations/pushedMessages/{id}', () => {
				const [item] = outputOf('e2eAutoMsgUpd001', 'Brevo');
				assertOneRequest('PUT', `/v3/conversations/pushedMessages/${seededId('pushUpd')}`, { text: 'Pushed, after the update' });
				assert.equal(item.json.text, 'Pushed, after the update');
			});

			test('Delete: DELETE /conversations/pushedMessages/{id} → {deleted: true}', () => {
				const items = outputOf('e2eAutoMsgDel001', 'Brevo');
				assertOneRequest('DELETE', `/v3/conversations/pushedMessages/${seededId('pushDel')}`, undefined);
				assert.deepEqual(items.map((i) => i.json), [{ deleted: true }]);
				assert.equal(fake.messages.has(seededId('pushDel')), false);
			});
		});

		describe('Agent', () => {
			test('Set Online: POST /conversations/agentOnlinePing → {success: true}', () => {
				const items = outputOf('e2eAgentOnline01', 'Brevo');
				assertOneRequest('POST', '/v3/conversations/agentOnlinePing', { agentId: 'e2e-agent-online' }, (r) => r.body?.agentId === 'e2e-agent-online');
				assert.deepEqual(items.map((i) => i.json), [{ success: true }]);
			});
		});

		describe('errors', () => {
			test('Continue On Fail: 3 items in, 3 out, the failing one carries the error and its pairing', () => {
				const items = outputOf('e2eContOnFail001', 'Brevo');
				assert.equal(items.length, 3);
				assert.deepEqual(
					items.map((i) => i.pairedItem),
					[{ item: 0 }, { item: 1 }, { item: 2 }],
				);
				assert.equal(items[0].json.id, seededId('cofA'));
				assert.equal(items[2].json.id, seededId('cofB'));
				assert.match(items[1].json.error, /Message not found/);
				const paths = fake.requests.filter((r) => r.method === 'GET' && /cofA|cofB|NoSuch/.test(r.path)).map((r) => r.path);
				assert.deepEqual(paths.sort(), [
					`/v3/conversations/messages/${MISSING_ID}`,
					`/v3/conversations/messages/${seededId('cofA')}`,
					`/v3/conversations/messages/${seededId('cofB')}`,
				].sort());
			});

			test('a wrong API key fails the execution and says to check the credential', () => {
				const { summary } = execution('e2eBadApiKey0001');
				assert.notEqual(summary.executionStatus, 'success');
				assert.match(summary.error, /Check the API key in the "Brevo Conversations API" credential/);
				const [request] = fake.requests.filter((r) => r.body?.agentId === 'e2e-agent-badkey');
				assert.equal(request.headers['api-key'], 'xkeysib-wrong');
			});

			test('a wrong API key with Continue On Fail outputs Brevo\'s message', () => {
				const items = outputOf('e2eBadApiKeyCof1', 'Brevo');
				assert.equal(items.length, 1);
				assert.match(items[0].json.error, /Key not found/);
			});
		});

		test('a credential whose API key is an expression: each item is sent with its own key', () => {
			assert.equal(outputOf('e2eKeyPerItem001', 'Brevo').length, 4);
			const sent = fake.requests.filter((r) => /^e2e-agent-tenant-/.test(r.body?.agentId ?? ''));
			const keyByAgent = Object.fromEntries(sent.map((r) => [r.body.agentId, r.headers['api-key']]));
			assert.deepEqual(keyByAgent, Object.fromEntries([0, 1, 2, 3].map((i) => [`e2e-agent-tenant-${i}`, TENANT_KEYS[i % 2]])));
			assert.equal(sent.length, 4);
		});

		describe('examples/', () => {
			test('order status → automated message: to the visitor ID derived from the customer ID, the text per status', { skip: ORDER_SKIP }, () => {
				const items = outputOf('exOrderStatus001', 'Tell the customer in the chat');
				assertOneRequest('POST', '/v3/conversations/pushedMessages', {
					visitorId: visitorIdOf('42'),
					text: '📦 Good news: your order #1042 has shipped.',
				}, byVisitor(visitorIdOf('42')));
				assert.equal(items.length, 1);
				assert.equal(items[0].json.text, '📦 Good news: your order #1042 has shipped.');
			});

			test('keep an agent online: pings as the bot, by email and name', () => {
				const items = outputOf('exAgentOnline001', 'Set the bot online');
				assertOneRequest('POST', '/v3/conversations/agentOnlinePing', {
					agentEmail: 'order-bot@example.com',
					agentName: 'Order Bot',
					receivedFrom: 'n8n-order-bot',
				}, (r) => r.body?.agentEmail !== undefined);
				assert.deepEqual(items.map((i) => i.json), [{ success: true }]);
			});

			test('message round trip: send → get → update → delete the same message', () => {
				const sent = outputOf('exRoundTrip00001', 'Send a message')[0].json;
				const id = sent.id;
				assertOneRequest('POST', '/v3/conversations/messages', {
					visitorId: 'visitor-demo-1',
					text: 'Hello! I am the order bot. How can I help?',
					agentEmail: 'order-bot@example.com',
					agentName: 'Order Bot',
					receivedFrom: 'n8n-order-bot',
				}, byVisitor('visitor-demo-1'));
				assert.deepEqual(outputOf('exRoundTrip00001', 'Get the message')[0].json, sent);
				assert.equal(outputOf('exRoundTrip00001', 'Edit the message')[0].json.text, `${sent.text} (edited)`);
				assert.deepEqual(outputOf('exRoundTrip00001', 'Delete the message')[0].json, { deleted: true });
				assertOneRequest('GET', `/v3/conversations/messages/${id}`, undefined);
				assertOneRequest('PUT', `/v3/conversations/messages/${id}`, { text: `${sent.text} (edited)` });
				assertOneRequest('DELETE', `/v3/conversations/messages/${id}`, undefined);
				assert.equal(fake.messages.has(id), false);
			});
		});
	});

	// n8n 1.x imports workflows without a workflow_history row, so its `update:workflow --active=true`
	// fails on a FOREIGN KEY constraint: no way to activate an imported workflow from its CLI.
	const liveSkip = /^1\./.test(RUNTIME) && 'n8n 1.x cannot activate an imported workflow from its CLI';
	describe('a live n8n (`n8n start`): the order-status example, activated, answers its production webhook', { skip: liveSkip }, () => {
		let baseUrl;
		before(
			async () => {
				const { runtime, env } = state;
				await runN8nOk(runtime, env, ['publish:workflow', `--id=${LIVE_ID}`]);
				({ child: state.n8n, baseUrl } = await startN8n(runtime, env));
			},
			{ timeout: 180000 },
		);

		after(() => stopN8n(state.n8n));

		test('POST /webhook/order-status → the visitor gets the automated message', async () => {
			// n8n reports ready before it has activated the workflows: 404 until the webhook is registered.
			const response = await waitFor(
				async () => {
					const r = await fetch(`${baseUrl}/webhook/order-status`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ customerId: '77', orderId: '77', status: 'processing', email: 'live@example.com' }),
					});
					return r.status === 404 ? undefined : r;
				},
				30000,
				'the production webhook to be registered',
			);
			assert.equal(response.status, 200, await response.text());
			const request = await waitFor(
				() => fake.requests.find((r) => r.path === '/v3/conversations/pushedMessages' && r.body?.visitorId === visitorIdOf('77')),
				20000,
				'the automated message to reach the fake Brevo',
			);
			assert.deepEqual(request.body, { visitorId: visitorIdOf('77'), text: 'We are preparing your order #77.' });
			assert.equal(request.headers['api-key'], API_KEY);
		});
	});
});
