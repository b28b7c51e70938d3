/**
 * examples/visitor-reply.json, in-process: a Brevo webhook POSTed to the trigger's real webhook()
 * starts the example's own nodes in n8n-core's WorkflowExecute (as n8n does after a webhook), and the
 * reply reaches the fake Brevo with the visitor's ID mapped from the trigger's output.
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
import { agentMessage, conversationStarted, VISITOR_ID } from '../fake-brevo/brevoEvents';
import { TriggerWebhookServer } from './webhookServer';

const SECRET = 'Zq4uT9v1xW7yB2nM5kP8';

interface ExampleWorkflow {
	nodes: INode[];
	connections: Workflow['connectionsBySourceNode'];
}

const example = JSON.parse(readFileSync(join(__dirname, '../../examples/visitor-reply.json'), 'utf8')) as ExampleWorkflow;
const runnableNodes = example.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
const triggerNode = runnableNodes.find((node) => node.type.endsWith('.brevoConversationsTrigger'))!;
const replyNode = runnableNodes.find((node) => node.type.endsWith('.brevoConversations'))!;

async function runExample(workflowData: INodeExecutionData[][], credentials: ICredentialDataDecryptedObject) {
	const brevo = new BrevoConversations();
	DirectoryLoader.applyDeclarativeNodeOptionParameters(brevo);
	const types: Record<string, INodeType> = { [triggerNode.type]: new BrevoConversationsTrigger(), [replyNode.type]: brevo };
	const nodes = structuredClone(runnableNodes);
	// As imported and then completed by the user: n8n refuses to run a trigger without its Secret.
	nodes.find((node) => node.name === triggerNode.name)!.parameters.secret = SECRET;
	for (const node of nodes) {
		const { description } = types[node.type];
		node.parameters = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description) ?? {};
	}
	const workflow = new Workflow({
		id: 'exVisitorReply01',
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

describe('examples/visitor-reply.json', () => {
	const brevo = useFakeBrevo();
	const server = new TriggerWebhookServer();

	beforeAll(async () => {
		await server.start();
		// The example ships without a secret (activation refuses that); the user sets their own.
		server.configure({ ...triggerNode.parameters, secret: SECRET });
	});
	afterAll(async () => server.stop());

	it('replies with the same Received From label the trigger ignores', () => {
		expect(triggerNode.parameters.events).toEqual(['conversationStarted']);
		expect((triggerNode.parameters.options as { ignoreReceivedFrom: string }).ignoreReceivedFrom).toBe(replyNode.parameters.receivedFrom);
		expect(replyNode.parameters.visitorId).toBe('={{ $json.visitorId }}');
		expect(triggerNode.parameters.secret).toBe('');
	});

	it('answers a visitor who starts a chat, addressed by the visitorId from the trigger', async () => {
		const reply = await server.post(conversationStarted(), { token: SECRET });
		expect(reply.status).toBe(200);
		expect(server.started).toHaveLength(1);
		const run = await runExample(server.started[0], brevo.credentials);
		expect(run.data.resultData.error).toBeUndefined();

		const sent = brevo.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/conversations/messages'));
		expect(sent).toHaveLength(1);
		expect(sent[0].body).toEqual({
			visitorId: VISITOR_ID,
			text: 'Hi Cyan Fox! Thanks for writing to us. An agent will be with you in a moment.',
			agentEmail: 'welcome-bot@example.com',
			agentName: 'Welcome Bot',
			receivedFrom: 'n8n-welcome-bot',
		});
	});

	it("does not start when the conversation was opened by the bot's own message", async () => {
		server.started.length = 0;
		const own = agentMessage('e1', 'Hi! Thanks for writing to us.', 1, { receivedFrom: replyNode.parameters.receivedFrom });
		const reply = await server.post(conversationStarted(own), { token: SECRET });
		expect(reply.status).toBe(200);
		expect(server.started).toHaveLength(0);
	});
});
