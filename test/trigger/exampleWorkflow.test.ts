/**
 * The trigger → reply examples, in-process: a Brevo webhook POSTed to the trigger's real webhook()
 * starts the example's own nodes in n8n-core's WorkflowExecute (as n8n does after a webhook), the
 * reply reaches the fake Brevo with the visitor's ID mapped from the trigger's output, and the
 * reply, echoed back by Brevo as the next webhook, starts nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryLoader, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { BrevoConversations } from '../../nodes/BrevoConversations/BrevoConversations.node';
import { BrevoConversationsTrigger } from '../../nodes/BrevoConversationsTrigger/BrevoConversationsTrigger.node';
import { useFakeBrevo } from '../harness/fixtures';
import { TestCredentialsHelper } from '../harness/runNode';
import {
	agentMessage,
	automatedMessage,
	conversationFragment,
	conversationStarted,
	visitorMessage,
	VISITOR_ID,
} from '../fake-brevo/brevoEvents';
import { TriggerWebhookServer } from './webhookServer';

const TOKEN = 'Zq4uT9v1xW7yB2nM5kP8';

interface ExampleWorkflow {
	nodes: INode[];
	connections: Workflow['connectionsBySourceNode'];
}

function loadExample(file: string) {
	const example = JSON.parse(readFileSync(join(__dirname, '../../examples', file), 'utf8')) as ExampleWorkflow;
	const runnableNodes = example.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
	const triggerNode = runnableNodes.find((node) => node.type.endsWith('.brevoConversationsTrigger'))!;
	const replyNode = runnableNodes.find((node) => node.type.endsWith('.brevoConversations'))!;
	return { example, runnableNodes, triggerNode, replyNode };
}

/** Runs the example's nodes after its trigger with the items the trigger returned (reply node parameters overridable). */
async function runExample(
	{ example, runnableNodes, triggerNode, replyNode }: ReturnType<typeof loadExample>,
	workflowData: INodeExecutionData[][],
	credentials: ICredentialDataDecryptedObject,
	replyParameters: Record<string, unknown> = {},
) {
	const brevo = new BrevoConversations();
	DirectoryLoader.applyDeclarativeNodeOptionParameters(brevo);
	const types: Record<string, INodeType> = { [triggerNode.type]: new BrevoConversationsTrigger(), [replyNode.type]: brevo };
	const nodes = structuredClone(runnableNodes);
	const reply = nodes.find((node) => node.name === replyNode.name)!;
	reply.parameters = { ...reply.parameters, ...replyParameters } as never;
	for (const node of nodes) {
		const { description } = types[node.type];
		node.parameters = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description) ?? {};
	}
	const workflow = new Workflow({
		id: 'exampleWorkflow',
		nodes,
		connections: example.connections,
		active: true,
		nodeTypes: {
			getByName: (type) => types[type],
			getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(types[type], version),
			getKnownTypes: () => ({}),
		},
	});
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(credentials),
		hooks: new ExecutionLifecycleHooks('webhook', 'exec-example', { nodes: [], connections: {} } as never),
		variables: {},
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		executionId: 'exec-example',
	} as unknown as IWorkflowExecuteAdditionalData;
	// What n8n's prepareExecutionData does with a webhook's result: the trigger heads the stack
	// with the items it returned, and WorkflowExecute passes them on.
	const start = nodes.find((node) => node.name === triggerNode.name)!;
	const data = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: start, data: { main: workflowData }, source: null }] },
	});
	return await new WorkflowExecute(additionalData, 'webhook', data).processRunExecutionData(workflow);
}

/** What Brevo posts back after the reply: the message the fake stored, as a webhook message. */
function echoOf(stored: Record<string, unknown>, createdAt: number) {
	return { ...stored, createdAt, isTrigger: false, isMissed: false };
}

const sentMessages = (fake: ReturnType<typeof useFakeBrevo>['fake']) =>
	fake.requests.filter((r) => r.method === 'POST' && /\/conversations\/(messages|pushedMessages)$/.test(r.path));

/**
 * The example behind a trigger webhook server (its saved parameters, the user's token) and a fake
 * Brevo; `startAndRun` posts an event, checks it started the workflow once, runs the example's nodes
 * with the trigger's items and returns what reached Brevo.
 */
function useExample(file: string) {
	const loaded = loadExample(file);
	const brevo = useFakeBrevo();
	const server = new TriggerWebhookServer();
	beforeAll(async () => {
		await server.start();
		server.configure(loaded.triggerNode.parameters, { token: TOKEN });
	});
	afterAll(async () => server.stop());
	beforeEach(() => {
		server.started.length = 0;
		brevo.fake.messages.clear();
	});
	async function startAndRun(body: unknown, replyParameters: Record<string, unknown> = {}) {
		expect((await server.post(body, { token: TOKEN })).status).toBe(200);
		expect(server.started).toHaveLength(1);
		const run = await runExample(loaded, server.started[0], brevo.credentials, replyParameters);
		expect(run.data.resultData.error).toBeUndefined();
		return sentMessages(brevo.fake);
	}
	return { ...loaded, brevo, server, startAndRun };
}

describe.each(['visitor-reply.json', 'conversation-auto-reply.json'])('examples/%s', (file) => {
	const loaded = loadExample(file);
	const { triggerNode, replyNode } = loaded;

	it('uses trigger version 2 with its webhook credential and keeps no token in the workflow', () => {
		expect(triggerNode.typeVersion).toBe(2);
		expect(triggerNode.credentials).toEqual({ brevoConversationsWebhookApi: { id: 'brevoWebhookCred01', name: 'Brevo Conversations webhook' } });
		expect(Object.keys(triggerNode.parameters)).not.toContain('secret');
		expect(JSON.stringify(loaded.example)).not.toMatch(/token=[A-Za-z0-9]{8,}/);
	});

	it('replies with the same Received From label the trigger ignores', () => {
		expect((triggerNode.parameters.options as { ignoreReceivedFrom: string }).ignoreReceivedFrom).toBe(replyNode.parameters.receivedFrom);
		expect(replyNode.parameters.visitorId).toBe('={{ $json.visitorId }}');
	});
});

describe('examples/visitor-reply.json', () => {
	const { triggerNode, server, startAndRun } = useExample('visitor-reply.json');

	it('starts on a new conversation', () => {
		expect(triggerNode.parameters.events).toEqual(['conversationStarted']);
	});

	it('answers a visitor who starts a chat, addressed by the visitorId from the trigger', async () => {
		const sent = await startAndRun(conversationStarted());
		expect(sent).toHaveLength(1);
		expect(sent[0].body).toEqual({
			visitorId: VISITOR_ID,
			text: 'Hi Cyan Fox! Thanks for writing to us. An agent will be with you in a moment.',
			agentEmail: 'welcome-bot@example.com',
			agentName: 'Welcome Bot',
			receivedFrom: 'n8n-welcome-bot',
		});
	});

	it.each([
		['the bot\'s own message', agentMessage('e1', 'Hi! Thanks for writing to us.', 1, { receivedFrom: 'n8n-welcome-bot' })],
		['an agent\'s message', agentMessage('a1', 'Hello, Julia here', 1)],
		['an automated message', automatedMessage('p1', 'Your order has shipped', 1)],
	])('does not start when the conversation was opened by %s', async (_name, message) => {
		const reply = await server.post(conversationStarted(message), { token: TOKEN });
		expect(reply.status).toBe(200);
		expect(server.started).toHaveLength(0);
	});
});

describe('examples/conversation-auto-reply.json: answers every visitor message and cannot loop', () => {
	const { triggerNode, brevo, server, startAndRun } = useExample('conversation-auto-reply.json');

	it('starts on conversation fragments, visitor messages only', () => {
		expect(triggerNode.parameters.events).toEqual(['conversationFragment']);
		expect((triggerNode.parameters.options as { startOn: string }).startOn).toBe('visitorMessage');
	});

	it('answers all the visitor wrote in one reply, and its own reply coming back starts nothing', async () => {
		const sent = await startAndRun(conversationFragment([visitorMessage('v1', 'Hello', 10), visitorMessage('v2', 'Where is order 1042?', 20)]));
		expect(sent).toHaveLength(1);
		expect(sent[0].body).toMatchObject({
			visitorId: VISITOR_ID,
			text: 'Thanks Cyan Fox, we got your 2 messages: "Hello\nWhere is order 1042?". An agent will answer here shortly.',
			receivedFrom: 'n8n-support-bot',
		});

		// Brevo posts the bot's reply back as the next fragment.
		const [stored] = [...brevo.fake.messages.values()];
		const echo = await server.post(conversationFragment([echoOf(stored, 30)]), { token: TOKEN });
		expect(echo.status).toBe(200);
		expect(server.started).toHaveLength(1);
	});

	it('cannot loop even when the reply is changed to an automated message (no Received From)', async () => {
		const sent = await startAndRun(conversationFragment([visitorMessage('v3', 'Anyone there?', 40)]), {
			resource: 'automatedMessage',
			operation: 'send',
			sender: 'random',
		});
		expect(sent).toHaveLength(1);
		const [stored] = [...brevo.fake.messages.values()];
		expect(stored).toMatchObject({ isPushed: true, visitorId: VISITOR_ID });
		expect(stored.receivedFrom).toBeUndefined();

		const echo = await server.post(conversationFragment([echoOf(stored, 50)]), { token: TOKEN });
		expect(echo).toEqual({ status: 200, body: { message: 'No visitor message in the event', eventName: 'conversationFragment' } });
		expect(server.started).toHaveLength(1);
	});

	it('answers a human agent\'s message with nothing, and the visitor\'s next one again', async () => {
		await server.post(conversationFragment([agentMessage('a9', 'Julia here, let me check', 60)]), { token: TOKEN });
		expect(server.started).toHaveLength(0);
		await server.post(conversationFragment([agentMessage('a10', 'Found it', 70), visitorMessage('v4', 'Thanks!', 80)]), { token: TOKEN });
		expect(server.started).toHaveLength(1);
	});
});
