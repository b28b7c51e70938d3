/**
 * An order update for a customer who never opened the chat: Brevo does not know the visitor ID.
 * The item must say so in a way a workflow can branch on (issue 19), through n8n-core's engine
 * against the fake Brevo with `knownVisitorsOnly` (a Send to a visitor it never saw answers 404).
 */
import { Workflow, type INode, type INodeType } from 'n8n-workflow';
import { useFakeBrevo } from '../harness/fixtures';
import {
	ManualTrigger,
	NODE_NAME,
	TestCredentialsHelper,
	execute,
	loadNodeType,
	registryOf,
	runNode,
	triggerNode,
	withDefaults,
} from '../harness/runNode';
import { UNKNOWN_VISITOR } from '../../nodes/BrevoConversations/helpers/unknownVisitor';

const brevo = useFakeBrevo({ knownVisitorsOnly: true });
const BOUND = 'bound-customer-visitor';

beforeAll(() => brevo.fake.seedVisitor(BOUND));

const pushed = { resource: 'automatedMessage', operation: 'send', visitorId: '={{ $json.visitorId }}', text: '={{ $json.text }}' };
const orders = [
	{ visitorId: BOUND, text: 'Your order #1 has shipped.' },
	{ visitorId: 'never-chatted-visitor', text: 'Your order #2 has shipped.' },
];

describe('Send to a visitor Brevo has never seen', () => {
	test('without Continue On Fail: the run stops with "Visitor unknown to Brevo", HTTP 404, what to do', async () => {
		const { error, output } = await runNode({ parameters: pushed, input: [orders[1]], credentials: brevo.credentials });
		expect(output).toEqual([]);
		expect(error?.message).toBe(`${UNKNOWN_VISITOR} (Visitor not found) [item 0]`);
		expect((error as { httpCode?: string }).httpCode).toBe('404');
		expect(error?.description).toContain('set Settings → On Error to "Continue"');
		expect(brevo.fake.requests).toHaveLength(1);
	});

	test.each([
		['automatedMessage', {}],
		['message', { identifyAgentBy: 'id', agentId: 'agent-1' }],
	])('%s → Send, Continue On Fail: the known visitor gets the message, the other item starts with the marker', async (resource, extra) => {
		const { output, error } = await runNode({
			parameters: { ...pushed, resource, ...extra },
			input: orders,
			credentials: brevo.credentials,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toMatchObject({ visitorId: BOUND, text: orders[0].text });
		expect(output[1].json).toEqual({ error: `${UNKNOWN_VISITOR} (Visitor not found) [item 1]` });
		expect(brevo.fake.requests.map((r) => r.body.visitorId).sort()).toEqual([BOUND, 'never-chatted-visitor'].sort());
		expect([...brevo.fake.messages.values()].filter((m) => m.visitorId === 'never-chatted-visitor')).toEqual([]);
	});

	// Measured with n8n-core 2.41: on the error output of a declarative node the item holds only the
	// message and no pairing to its input, so a later node cannot reach the order with
	// $('…').item. That is why the order examples use the regular output (pairing kept) and an IF.
	test('On Error → error output: the unknown visitor goes to the error branch with only the message, unpaired', async () => {
		const trigger = triggerNode();
		const node: INode = {
			id: 'brevo',
			name: NODE_NAME,
			type: 'n8n-nodes-brevo-conversations.brevoConversations',
			typeVersion: 1,
			position: [200, 0],
			parameters: pushed,
			onError: 'continueErrorOutput',
			credentials: { brevoConversationsApi: { id: 'cred-1', name: 'Brevo Conversations account' } },
		};
		const types: Record<string, INodeType> = { 'test.trigger': new ManualTrigger(), [node.type]: loadNodeType() };
		const workflow = new Workflow({
			id: 'wf-error-output',
			nodes: [trigger, node],
			connections: { Trigger: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
			active: false,
			nodeTypes: registryOf(types),
		});
		withDefaults(node, types[node.type]);
		const run = await execute(workflow, new TestCredentialsHelper(brevo.credentials), orders);
		expect(run.data.resultData.error).toBeUndefined();
		const [success, failed] = run.data.resultData.runData[NODE_NAME][0].data?.main ?? [];
		expect(success?.map((o) => o.json.visitorId)).toEqual([BOUND]);
		expect(failed).toHaveLength(1);
		expect(failed?.[0].json).toEqual({ error: `${UNKNOWN_VISITOR} (Visitor not found) [item 1]` });
		expect(failed?.[0].pairedItem).toBeUndefined();
	});

	// The rule, exactly (isUnknownVisitor): a 404 or 400 whose message names the visitor as not
	// found, or a 404 "document_not_found". Every other answer, 404s included, stops the workflow
	// with Brevo's own message: the examples' fallback must not hide a wrong Base URL or an outage.
	test.each([
		[404, { code: 'not_found', message: 'Visitor not found' }, 'unknown'],
		[400, { code: 'invalid_parameter', message: 'Visitor does not exist' }, 'unknown'],
		[404, { code: 'document_not_found', message: 'Document not found' }, 'unknown'],
		[400, { code: 'invalid_parameter', message: 'No such visitor: abc' }, 'unknown'],
		[404, { code: 'not_found', message: 'Route not found' }, 'stops'],
		[404, 'Not Found', 'stops'],
		[400, { code: 'document_not_found', message: 'Document not found' }, 'stops'],
		[400, { code: 'missing_parameter', message: 'text is missing' }, 'stops'],
		[500, { code: 'internal_error', message: 'Visitor not found' }, 'stops'],
		[403, { code: 'permission_denied', message: 'Visitor unknown' }, 'stops'],
	])('Send answered HTTP %i %j: %s', async (status, body, verdict) => {
		brevo.fake.failNext(status, body);
		const said = typeof body === 'string' ? body : body.message;
		const { error, output } = await runNode({ parameters: pushed, input: [orders[0]], credentials: brevo.credentials });
		expect(output).toEqual([]);
		expect((error as { httpCode?: string }).httpCode).toBe(String(status));
		expect(error?.message).toBe(verdict === 'unknown' ? `${UNKNOWN_VISITOR} (${said}) [item 0]` : `${said} [item 0]`);
	});

	test('a wrong Base URL is not an unknown visitor', async () => {
		const wrongBase = await runNode({
			parameters: pushed,
			input: [orders[0]],
			credentials: { ...brevo.credentials, baseUrl: brevo.credentials.baseUrl.replace(/\/v3$/, '/v2') },
		});
		expect(wrongBase.error?.message).toBe('Invalid URL [item 0]');
	});

	test('Get, Update, Delete keep their own 404 ("Message not found")', async () => {
		const { error } = await runNode({
			parameters: { resource: 'automatedMessage', operation: 'get', messageId: 'no-such-message' },
			input: [{}],
			credentials: brevo.credentials,
		});
		expect(error?.message).toBe('Message not found [item 0]');
	});
});
