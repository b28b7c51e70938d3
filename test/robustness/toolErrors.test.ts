/**
 * The node as an AI agent's tool (n8n-core's engine, see harness/runTool.ts): what the model reads
 * as the tool result when the call fails. n8n hands the model only the error's message, so it must
 * name the problem and what to do, in one or two sentences, with no item index and no secret.
 */
import type { IDataObject } from 'n8n-workflow';
import { API_KEY, useFakeBrevo } from '../harness/fixtures';
import { runTool } from '../harness/runTool';

const brevo = useFakeBrevo();

/** Message → Send as the Hand over to human tool of examples/ai-agent-reply.json: the model fills in the text only. */
const reply = {
	resource: 'message',
	operation: 'send',
	visitorId: 'visitor-ai-1',
	text: "={{ $fromAI('text', 'Your answer to the visitor', 'string') }}",
	identifyAgentBy: 'email',
	agentEmail: 'ai-assistant@example.com',
	agentName: 'AI Assistant',
	receivedFrom: 'n8n-ai-agent',
	options: {},
};

async function toolResult(parameters: Record<string, unknown> = reply, toolArguments: IDataObject = { text: 'Hello!' }, credentials = brevo.credentials) {
	const run = await runTool({ parameters: parameters as never, toolArguments, credentials });
	expect(run.error).toBeUndefined(); // a failed tool call does not stop the workflow
	return JSON.parse(run.toolResult) as Array<Record<string, unknown>>;
}

/** The error text the model receives, checked for what every such text must (not) hold. */
async function errorText(...args: Parameters<typeof toolResult>) {
	const result = await toolResult(...args);
	expect(result).toHaveLength(1);
	expect(Object.keys(result[0])).toEqual(['error']);
	const text = String(result[0].error);
	expect(text).not.toMatch(/\[item \d+\]/);
	expect(text).not.toContain(API_KEY);
	expect(text.split(/(?<=[.!?])\s+(?=[A-Z])/).length).toBeLessThanOrEqual(2);
	return text;
}

describe('as an AI tool', () => {
	test("success: the model reads Brevo's message object, sent with the model's text", async () => {
		const [message] = await toolResult(reply, { text: 'Your order shipped.' });
		expect(message).toMatchObject({ type: 'agent', text: 'Your order shipped.', visitorId: 'visitor-ai-1', receivedFrom: 'n8n-ai-agent' });
		expect(brevo.fake.requests).toHaveLength(1);
	});

	test('400: Brevo\'s reason, and to fix that value', async () => {
		brevo.fake.failNext(400, { code: 'invalid_parameter', message: 'visitorId is invalid' });
		expect(await errorText()).toBe(
			"Brevo rejected the request (HTTP 400: visitorId is invalid) and did nothing. Fix the value Brevo names and call the tool again; if you did not fill in that value, the workflow's owner must fix it.",
		);
	});

	test('404 on a send: nothing found, check the IDs or the Base URL', async () => {
		brevo.fake.failNext(404, { code: 'document_not_found', message: 'Visitor not found' });
		expect(await errorText()).toBe(
			"Brevo found nothing for this request (HTTP 404: Visitor not found). Check the IDs given to the tool; if they are right, the workflow's owner must check the Base URL of its Brevo credential.",
		);
	});

	test('404 on a message ID the model chose: which ID, and which IDs work', async () => {
		const update = { resource: 'message', operation: 'update', messageId: "={{ $fromAI('messageId', 'The message to edit', 'string') }}", text: "={{ $fromAI('text', 'The new text', 'string') }}" };
		expect(await errorText(update, { messageId: 'noSuchMessage01', text: 'Edited' })).toBe(
			'Brevo has no message with ID "noSuchMessage01" (Message not found). Use the "id" that Send returned for a message of this conversation, under the same resource (an automated message\'s ID under Automated Message); a deleted message is gone.',
		);
	});

	test('429 with the wait exhausted: not carried out, when the quota resets, do not call again before', async () => {
		// The reset (3600 s) is beyond the default Max Wait (120 s): the tool fails at once.
		brevo.fake.failNext(429, { code: 'too_many_requests', message: 'Too many requests' }, { headers: { 'x-sib-ratelimit-reset': '3600', 'x-sib-ratelimit-limit': '100' } });
		expect(await errorText()).toBe(
			"Brevo's rate limit is reached, so the request was not carried out; the quota resets in 3600 s. Do not call this tool again before then.",
		);
		expect(brevo.fake.requests).toHaveLength(1);
	});

	test('401: the owner must fix the credential; the key is not in the text', async () => {
		const text = await errorText(reply, { text: 'Hi' }, { ...brevo.credentials, apiKey: `${API_KEY}-wrong` });
		expect(text).toBe("Brevo refused the workflow's API key (Key not found). The workflow's owner must fix its Brevo credential; calling the tool again will not help.");
	});

	test('500: may or may not have been sent, do not call again', async () => {
		brevo.fake.failNext(500, { code: 'internal_error', message: 'Internal error' });
		expect(await errorText()).toBe(
			'Brevo had a problem (HTTP 500: Internal error) and may or may not have carried out the request. Do not call this tool again for it: a repeated send could post the message twice.',
		);
	});

	test('an empty text from the model: nothing sent, call again with a value', async () => {
		expect(await errorText(reply, { text: '   ' })).toBe(
			"Text is empty, so nothing was sent to Brevo. If you filled in Text, call the tool again with a valid value; otherwise the workflow's owner must fix this field in the node.",
		);
		expect(brevo.fake.requests).toHaveLength(0);
	});

	test('Brevo unreachable: the reason, and not to call again', async () => {
		const text = await errorText(reply, { text: 'Hi' }, { ...brevo.credentials, baseUrl: 'http://127.0.0.1:9/v3' });
		expect(text).toMatch(/^The request to Brevo failed \(.+\) and may or may not have been carried out\. Do not call this tool again for it: a repeated send could post the message twice\.$/);
	});

	test("a host outside the credential's Allowed Domains: nothing was sent, the owner must fix it", async () => {
		const credentials = { ...brevo.credentials, allowedHttpRequestDomains: 'domains', allowedDomains: 'api.brevo.com' };
		const [result] = await toolResult(reply, { text: 'Hi' }, credentials);
		expect(result.error).toMatch(
			/^Nothing was sent to Brevo \(Domain not allowed: .+\)\. The workflow's owner must fix the node or its Brevo credential; calling the tool again will not help\.$/,
		);
		expect(result.error).not.toMatch(/may or may not|\[item \d+\]/);
		expect(brevo.fake.requests).toHaveLength(0);
	});
});
