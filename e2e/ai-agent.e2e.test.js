'use strict';
/**
 * End-to-end, the AI agent loop (issue 12): examples/ai-agent-reply.json exactly as a user imports
 * it — Brevo Conversations Trigger → n8n's AI Agent with an OpenAI Chat Model → this package's node
 * as its reply tool — published in a real `n8n start` (2.41.1 by default; E2E_RUNTIME=2.8.4), with
 * the fake Brevo server and a fake OpenAI-compatible model (test/fake-openai) on 127.0.0.1:
 *
 *   - a visitor's messages on the production webhook → the model is asked with the visitor's text,
 *     calls the tool through the schema n8n built from $fromAI, and exactly one reply reaches Brevo,
 *     to that visitor, with the model's text and the example's Received From label;
 *   - that reply coming back from Brevo as the next webhook call starts nothing;
 *   - Brevo refusing the reply (400, then 404) → the model receives a readable error as the tool
 *     result, and nothing is sent a second time.
 *
 * Skipped on n8n 1.x: its CLI cannot activate an imported workflow (see live.e2e.test.js), and its
 * AI Agent stops at version 3 while the example uses 3.1.
 */
const assert = require('node:assert/strict');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');
const events = require('../test/fake-brevo/brevoEvents');
const { FakeBrevo } = require('../test/fake-brevo/server');
const { FakeOpenAi, DEFAULT_ARGUMENTS, DEFAULT_ANSWER } = require('../test/fake-openai/server');
const { DEFAULT_VERSION, ensureRuntime } = require('./runtime');
const { executionsOf, finishedExecutions, startN8n, stopN8n } = require('./liveN8n');
const { fakeBrevoN8nEnv, homeWithPackage, runN8nOk, waitFor } = require('./n8n');
const { readExample } = require('./workflows');

const RUNTIME = process.env.E2E_RUNTIME || DEFAULT_VERSION;
const WORKFLOW_ID = 'exAiAgentReplyE1';
const TOKEN = 'e2eAiAgentToken0123456789';
const BREVO_KEY = 'xkeysib-ai-agent-0123';
const OPENAI_KEY = 'sk-e2e-fake-openai-0123';
const LABEL = 'n8n-ai-agent'; // the Received From label of the example's reply tool
const TOOL_NAME = 'Reply_to_visitor'; // n8n names the tool after the node "Reply to visitor"

const brevo = new FakeBrevo({ apiKey: BREVO_KEY });
const model = new FakeOpenAi({ apiKey: OPENAI_KEY });
const state = { logs: '' };

// n8n 1.x imports workflows without a workflow_history row, so its `update:workflow --active=true`
// fails on a FOREIGN KEY constraint: no way to activate an imported workflow from its CLI.
const skip =
	/^1\./.test(RUNTIME) && 'n8n 1.x cannot activate an imported workflow from its CLI (and its AI Agent stops at version 3; the example uses 3.1)';

const example = () => ({ ...readExample('ai-agent-reply.json'), id: WORKFLOW_ID, versionId: randomUUID() });
const credentialIds = (type) => [...new Set(example().nodes.map((n) => n.credentials?.[type]?.id).filter(Boolean))];

async function setUp() {
	const started = Date.now();
	const runtime = (state.runtime = await ensureRuntime(RUNTIME));
	const home = (state.home = await homeWithPackage(runtime, 'brevo-ai-e2e-'));
	state.dbFile = path.join(home, '.n8n', 'database.sqlite');
	const brevoUrl = await brevo.start();
	const modelUrl = await model.start();

	const env = (state.env = await fakeBrevoN8nEnv(runtime, home, { N8N_ENCRYPTION_KEY: 'e2e-ai-agent-encryption-key-0123' }));
	// The credentials the example names, by ID, as a user would have created them.
	const credentials = [
		...credentialIds('brevoConversationsApi').map((id) => ({ id, name: id, type: 'brevoConversationsApi', data: { apiKey: BREVO_KEY, partnerKey: '', baseUrl: brevoUrl } })),
		...credentialIds('brevoConversationsWebhookApi').map((id) => ({ id, name: id, type: 'brevoConversationsWebhookApi', data: { token: TOKEN } })),
		...credentialIds('openAiApi').map((id) => ({ id, name: id, type: 'openAiApi', data: { apiKey: OPENAI_KEY, url: modelUrl } })),
	];
	assert.equal(credentials.length, 3, 'the example names one credential of each type');
	const input = path.join(home, 'input');
	fs.mkdirSync(input);
	fs.writeFileSync(path.join(input, 'credentials.json'), JSON.stringify(credentials));
	fs.writeFileSync(path.join(input, 'workflow.json'), JSON.stringify(example()));
	const logged = (result) => (state.logs += result.stdout + result.stderr);
	logged(await runN8nOk(runtime, env, ['import:credentials', `--input=${path.join(input, 'credentials.json')}`]));
	logged(await runN8nOk(runtime, env, ['import:workflow', `--input=${path.join(input, 'workflow.json')}`]));
	logged(await runN8nOk(runtime, env, ['publish:workflow', `--id=${WORKFLOW_ID}`]));
	({ child: state.n8n, baseUrl: state.baseUrl } = await startN8n(runtime, env, (d) => (state.logs += d)));
	const { webhookId } = example().nodes.find((n) => n.webhookId);
	state.url = `${state.baseUrl}/webhook/${webhookId}/webhook?token=${TOKEN}`;
	// n8n reports ready before it has registered the production webhooks: 404 until then.
	await waitFor(
		async () => (await post(events.conversationFragment([events.agentMessage('warm1', 'warm-up', 1)]))).status !== 404,
		30000,
		'the production webhook to be registered',
		200, // each check is an HTTP call
	);
	process.stderr.write(`[ai-e2e] ${RUNTIME}: setup ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

async function tearDown() {
	await stopN8n(state.n8n);
	await brevo.stop().catch(() => {});
	await model.stop().catch(() => {});
	if (state.home && !process.env.E2E_KEEP) fs.rmSync(state.home, { recursive: true, force: true });
	else if (state.home) process.stderr.write(`[ai-e2e] kept ${state.home}\n`);
}

const post = (body) => fetch(state.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Forgets what the fakes recorded, so that each case sees only its own requests. */
function resetFakes() {
	brevo.clearRequests();
	model.requests = [];
	model.toolResults = [];
}

/** POSTs a visitor's fragment and waits for the one execution it starts; returns that execution. */
async function visitorWrites(messages) {
	const already = (await executionsOf(state.runtime, state.dbFile, WORKFLOW_ID)).length;
	const response = await post(events.conversationFragment(messages));
	assert.equal(response.status, 200, await response.text());
	const executions = await finishedExecutions(state.runtime, state.dbFile, WORKFLOW_ID, already + 1);
	assert.equal(executions.length, already + 1, 'exactly one new execution');
	return executions[executions.length - 1];
}

const chatRequests = () => model.requests.filter((r) => r.path === '/v1/chat/completions');
const replies = () => brevo.requests.filter((r) => r.method === 'POST' && r.path === '/v3/conversations/messages');

/** The model's two calls of one agent run: the tool call, then the final answer after the tool's result. */
function assertToolCalledOnce() {
	assert.deepEqual(model.problems, [], 'the fake model could fill the tool schema n8n sent');
	assert.equal(chatRequests().length, 2, 'the model was asked twice: tool call, then final answer');
	assert.equal(model.toolResults.length, 1, 'one tool result reached the model');
	return model.toolResults[0].content;
}

describe(`AI agent (${RUNTIME}): examples/ai-agent-reply.json, active in \`n8n start\`, fake model`, { skip }, () => {
	before(setUp, { timeout: 20 * 60 * 1000 });
	after(tearDown);

	test('visitor messages → the model gets the visitor text and the tool; exactly one reply reaches that visitor', async () => {
		resetFakes();
		const execution = await visitorWrites([
			events.visitorMessage('aiV1', 'Hi,', 100),
			events.agentMessage('aiA1', 'Hello, how can I help?', 150),
			events.visitorMessage('aiV2', 'where is my order 1042?', 200),
		]);
		assert.equal(execution.status, 'success');

		// What the model was given: the visitor's messages and this node as a tool with its $fromAI schema.
		const [first] = chatRequests();
		const userMessage = first.body.messages.find((m) => m.role === 'user');
		assert.match(userMessage.content, /Cyan Fox wrote in the website chat:\n\nHi,\nwhere is my order 1042\?$/);
		assert.equal(first.body.tools.length, 1);
		const tool = first.body.tools[0].function;
		assert.equal(tool.name, TOOL_NAME);
		assert.equal(tool.description, 'Send a message to a chat visitor as an agent in Brevo Conversations');
		assert.deepEqual(Object.keys(tool.parameters.properties), ['text']);
		assert.deepEqual(tool.parameters.required, ['text']);

		// Exactly one reply, to the visitor of the webhook, with the model's text and the label.
		assert.equal(replies().length, 1, 'exactly one reply sent');
		assert.equal(brevo.requests.length, 1, 'nothing else sent to Brevo');
		const [reply] = replies();
		assert.equal(reply.headers['api-key'], BREVO_KEY);
		assert.deepEqual(reply.body, {
			visitorId: events.VISITOR_ID,
			text: DEFAULT_ARGUMENTS.text,
			agentEmail: 'ai-assistant@example.com',
			agentName: 'AI Assistant',
			receivedFrom: LABEL,
		});

		// The tool's result the model received is the message Brevo stored; then the agent finished.
		const result = JSON.parse(assertToolCalledOnce());
		const stored = [...brevo.messages.values()].find((m) => m.text === DEFAULT_ARGUMENTS.text);
		assert.equal(result[0].id, stored.id);
		const [agentItem] = execution.data.resultData.runData['AI Agent'][0].data.main[0];
		assert.equal(agentItem.json.output, DEFAULT_ANSWER);
		state.reply = stored;
	});

	test("the agent's own reply, coming back from Brevo as a webhook call, starts nothing", async () => {
		assert.ok(state.reply, 'the first case stored a reply');
		resetFakes();
		const already = (await executionsOf(state.runtime, state.dbFile, WORKFLOW_ID)).length;
		assert.equal(state.reply.receivedFrom, LABEL);
		const echo = await post(events.conversationFragment([{ ...state.reply, createdAt: 300 }]));
		assert.equal(echo.status, 200, await echo.text());
		await new Promise((resolve) => setTimeout(resolve, 1500));
		assert.equal((await executionsOf(state.runtime, state.dbFile, WORKFLOW_ID)).length, already, '0 new executions');
		assert.equal(model.requests.length, 0, 'the model was not asked');
		assert.equal(brevo.requests.length, 0, 'nothing sent to Brevo');
	});

	const refusals = [
		[
			400,
			{ code: 'invalid_parameter', message: 'visitorId is invalid' },
			"Brevo rejected the request (HTTP 400: visitorId is invalid) and did nothing. Fix the value Brevo names and call the tool again; if you did not fill in that value, the workflow's owner must fix it.",
		],
		[
			404,
			{ code: 'document_not_found', message: 'Visitor not found' },
			"Brevo found nothing for this request (HTTP 404: Visitor not found). Check the IDs given to the tool; if they are right, the workflow's owner must check the Base URL of its Brevo credential.",
		],
	];
	for (const [status, body, expected] of refusals) {
		test(`Brevo refuses the reply (${status}) → the model reads what went wrong as the tool result; nothing is sent twice`, async () => {
			resetFakes();
			brevo.failNext(status, body);
			const execution = await visitorWrites([events.visitorMessage(`aiF${status}`, 'Are you there?', 400 + status)]);
			// n8n's agent carries on after a failed tool call: the execution still counts as a success.
			assert.equal(execution.status, 'success');
			assert.deepEqual(JSON.parse(assertToolCalledOnce()), [{ error: expected }]);
			assert.equal(replies().length, 1, 'one attempt, refused, and no second message');
			assert.equal(brevo.requests.length, 1);
			const [agentItem] = execution.data.resultData.runData['AI Agent'][0].data.main[0];
			assert.equal(agentItem.json.output, DEFAULT_ANSWER);
		});
	}
});
