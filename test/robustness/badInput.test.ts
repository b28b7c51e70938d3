import type { IDataObject } from 'n8n-workflow';
import { useFakeBrevo } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

const brevo = useFakeBrevo();

const automatedSend = { resource: 'automatedMessage', operation: 'send', visitorId: '={{ $json.visitorId }}', text: '={{ $json.text }}' };

/** Runs one item that must be refused before any request is sent. */
async function expectRefused(parameters: Record<string, unknown>, input: IDataObject, message: string) {
	const { error, output } = await runNode({ parameters: parameters as never, input: [input], credentials: brevo.credentials });
	expect(error?.message).toBe(message);
	expect(output).toEqual([]);
	expect(brevo.fake.requests).toEqual([]);
	return error;
}

describe('bad input is refused before any request, naming the field and the item', () => {
	test.each([
		['empty visitor ID', { visitorId: '', text: 'hi' }, 'Visitor ID is empty [item 0]'],
		['whitespace visitor ID', { visitorId: ' \n\t ', text: 'hi' }, 'Visitor ID is empty [item 0]'],
		['missing visitor ID (expression resolves to nothing)', { text: 'hi' }, 'Visitor ID is empty [item 0]'],
		['empty text', { visitorId: 'v', text: '' }, 'Text is empty [item 0]'],
		['whitespace-only text', { visitorId: 'v', text: '   ' }, 'Text is empty [item 0]'],
		['an object as visitor ID', { visitorId: { id: 'v' }, text: 'hi' }, 'Visitor ID must be text, but the expression returned an object [item 0]'],
		['a list as text', { visitorId: 'v', text: ['a', 'b'] }, 'Text must be text, but the expression returned a list [item 0]'],
		['a boolean as visitor ID', { visitorId: true, text: 'hi' }, 'Visitor ID must be text, but the expression returned a boolean [item 0]'],
	])('%s', async (_case, input, message) => {
		const error = await expectRefused(automatedSend, input, message);
		expect(error?.description).toBeTruthy();
	});

	test.each([
		['agent ID missing', { identifyAgentBy: 'id', agentId: '={{ $json.nothing }}' }, 'Agent ID is empty [item 0]'],
		['agent email missing', { identifyAgentBy: 'email', agentEmail: '={{ "" }}', agentName: 'Bot', receivedFrom: 'n8n' }, 'Agent Email is empty [item 0]'],
		['agent email not an address', { identifyAgentBy: 'email', agentEmail: 'bot at example', agentName: 'Bot', receivedFrom: 'n8n' }, 'Agent Email is not an email address: "bot at example" [item 0]'],
		['agent name missing', { identifyAgentBy: 'email', agentEmail: 'bot@example.com', agentName: ' ', receivedFrom: 'n8n' }, 'Agent Name is empty [item 0]'],
		['received-from missing with email', { identifyAgentBy: 'email', agentEmail: 'bot@example.com', agentName: 'Bot', receivedFrom: '' }, 'Received From is empty [item 0]'],
		// A trigger's Ignore Received From list is comma-separated: "bot, eu" could never be ignored there.
		['received-from with a comma, by ID', { identifyAgentBy: 'id', agentId: 'a1', receivedFrom: 'bot, eu' }, 'Received From must not contain a comma: "bot, eu" [item 0]'],
		['received-from with a comma, by email', { identifyAgentBy: 'email', agentEmail: 'bot@example.com', agentName: 'Bot', receivedFrom: '={{ "n8n,bot" }}' }, 'Received From must not contain a comma: "n8n,bot" [item 0]'],
	])('incomplete agent identity for Message → Send and Agent → Set Online: %s', async (_case, identity, message) => {
		await expectRefused({ resource: 'message', operation: 'send', visitorId: 'v', text: 'hi', ...identity }, {}, message);
		await expectRefused({ resource: 'agent', operation: 'setOnline', ...identity }, {}, message);
	});

	test("n8n's own check stops a required field left empty in the editor, before the node runs", async () => {
		await expect(
			runNode({ parameters: { resource: 'agent', operation: 'setOnline', agentId: '' }, input: [{}], credentials: brevo.credentials }),
		).rejects.toThrow('Parameter "Agent ID" is required');
		expect(brevo.fake.requests).toEqual([]);
	});

	test('automated message from a specific agent or group needs that ID', async () => {
		await expectRefused({ ...automatedSend, sender: 'agent', agentId: ' ' }, { visitorId: 'v', text: 'hi' }, 'Agent ID is empty [item 0]');
		await expectRefused({ ...automatedSend, sender: 'group', groupId: '={{ $json.group }}' }, { visitorId: 'v', text: 'hi' }, 'Group ID is empty [item 0]');
	});

	test.each(['get', 'update', 'delete'])('%s needs a message ID', async (operation) => {
		await expectRefused({ resource: 'message', operation, messageId: '={{ $json.id }}', text: 'x' }, { id: '  ' }, 'Message ID is empty [item 0]');
	});

	test('the failing item is named by its index among several', async () => {
		const { error } = await runNode({
			parameters: automatedSend as never,
			input: [{ visitorId: 'a', text: 'x' }, { visitorId: 'b', text: 'x' }, { visitorId: '', text: 'x' }],
			credentials: brevo.credentials,
		});
		expect(error?.message).toBe('Visitor ID is empty [item 2]');
		expect((error?.context as { itemIndex?: number }).itemIndex).toBe(2);
		expect(brevo.fake.requests.map((r) => r.body.visitorId).sort()).toEqual(['a', 'b']);
	});
});

describe('values from expressions', () => {
	test('numbers are sent as text; IDs are trimmed, message text is kept as written', async () => {
		const { output, error } = await runNode({
			parameters: automatedSend as never,
			input: [{ visitorId: 12345, text: 42 }, { visitorId: '  padded-id \n', text: '  indented\ntext  ' }],
			credentials: brevo.credentials,
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(2);
		expect(brevo.fake.requests.map((r) => r.body).sort((a, b) => String(a.visitorId).localeCompare(String(b.visitorId)))).toEqual([
			{ visitorId: '12345', text: '42' },
			{ visitorId: 'padded-id', text: '  indented\ntext  ' },
		]);
	});

	test('a 10,000-character text with emoji and other scripts arrives intact', async () => {
		const long = ('Ваш заказ 📦 está en camino 🚚 — 注文 ' + 'x'.repeat(50)).repeat(200).slice(0, 10_000);
		const { output, error } = await runNode({ parameters: automatedSend as never, input: [{ visitorId: 'v', text: long }], credentials: brevo.credentials });
		expect(error).toBeUndefined();
		expect(brevo.fake.requests[0].body.text).toBe(long);
		expect(output[0].json.text).toBe(long);
	});
});

test.each(['.', '..'])('an ID of "%s" (a URL folder reference, even encoded) is refused', async (id) => {
	await expectRefused({ resource: 'automatedMessage', operation: 'delete', messageId: '={{ $json.id }}' }, { id }, `Message ID "${id}" is not a valid ID [item 0]`);
});

describe('IDs are one percent-encoded path segment and never reach another endpoint', () => {
	const hostile = ['a/b', '../../account', '...', 'x?y=1', 'frag#ment', '100%', 'with space', 'ünï©ødé-😀', '%2E%2E', './.'];

	test.each(['get', 'update', 'delete'])('%s', async (operation) => {
		const { output } = await runNode({
			parameters: { resource: 'message', operation, messageId: '={{ $json.id }}', text: 'changed' },
			input: hostile.map((id) => ({ id })),
			credentials: brevo.credentials,
			continueOnFail: true,
		});
		expect(output).toHaveLength(hostile.length);
		const paths = brevo.fake.requests.map((r) => r.path);
		expect(paths).toHaveLength(hostile.length);
		for (const path of paths) {
			const segments = path.split('/');
			expect(segments.slice(0, 4)).toEqual(['', 'v3', 'conversations', 'messages']);
			expect(segments).toHaveLength(5);
			expect(path).not.toMatch(/[?#\s]|\/\.\.?(\/|$)/);
		}
		// Each ID decodes back to exactly what the item held, so Brevo looks up that ID and nothing else.
		expect(paths.map((p) => decodeURIComponent(p.split('/')[4])).sort()).toEqual(hostile.map((h) => h.trim()).sort());
		// All unknown: every item answers 404 with Brevo's message, none is routed elsewhere.
		expect(output.every((o) => String(o.json.error).startsWith('Message not found'))).toBe(true);
	});
});
