import { useFakeBrevo } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

const brevo = useFakeBrevo();

const send = { resource: 'automatedMessage', operation: 'send', visitorId: 'v-1', text: 'hello' };

async function failingRun(parameters: Record<string, unknown> = send) {
	const { error, output } = await runNode({ parameters: parameters as never, input: [{}], credentials: brevo.credentials });
	expect(output).toEqual([]);
	expect(error).toBeDefined();
	return error as NonNullable<typeof error> & { httpCode?: string };
}

describe("an API failure shows Brevo's own message and how to fix it", () => {
	test('400: the field Brevo names, not n8n\'s generic "Bad request"', async () => {
		brevo.fake.failNext(400, { code: 'invalid_parameter', message: 'visitorId is invalid' });
		const error = await failingRun();
		expect(error.message).toBe('visitorId is invalid [item 0]');
		expect(error.message).not.toMatch(/Bad request/);
		expect(error.description).toContain('the message above names the field to fix');
		expect(error.description).toContain('invalid_parameter');
		expect(error.httpCode).toBe('400');
	});

	test('401 wrong key: check the API key in the credential', async () => {
		const { error } = await runNode({ parameters: send as never, input: [{}], credentials: { ...brevo.credentials, apiKey: 'xkeysib-wrong' } });
		expect(error?.message).toBe('Key not found [item 0]');
		expect(error?.description).toMatch(/Check the API key in the "Brevo Conversations API" credential/);
	});

	test("401 unrecognised IP address: add n8n's IP under Security → Authorised IPs", async () => {
		brevo.fake.blockIp(true);
		try {
			const error = await failingRun();
			expect(error.message).toMatch(/^We have detected you are using an unrecognised IP address/);
			expect(error.description).toContain('Security → Authorised IPs');
		} finally {
			brevo.fake.blockIp(false);
		}
	});

	test('403: permissions', async () => {
		brevo.fake.failNext(403, { code: 'permission_denied', message: 'Permission denied for this API key' });
		const error = await failingRun();
		expect(error.message).toBe('Permission denied for this API key [item 0]');
		expect(error.description).toContain('Conversations is enabled');
	});

	test("404 names the message ID, the resource to use it under, and that only agents' messages can be changed", async () => {
		const error = await failingRun({ resource: 'message', operation: 'delete', messageId: 'no-such-id' });
		expect(error.message).toBe('Message not found [item 0]');
		expect(error.description).toContain('no message with ID "no-such-id"');
		expect(error.description).toContain("an automated message's ID under Automated Message");
		expect(error.description).toContain("A visitor's message can be read, but only agents' messages can be changed or deleted");
	});

	test('429 with On Rate Limit = Fail: the reset time, once, no retry', async () => {
		brevo.fake.failNext(
			429,
			{ code: 'too_many_requests', message: 'Too many requests' },
			{ headers: { 'x-sib-ratelimit-limit': '100', 'x-sib-ratelimit-remaining': '0', 'x-sib-ratelimit-reset': '1234' } },
		);
		const error = await failingRun({ ...send, options: { onRateLimit: 'fail' } });
		expect(error.message).toBe("Too many requests: Brevo's rate limit is reached; the quota resets in 1234 s [item 0]");
		expect(error.description).toContain('100 requests per window');
		expect(error.httpCode).toBe('429');
		expect(brevo.fake.requests).toHaveLength(1);
	});

	test('429 whose reset is beyond Max Wait fails at once with the reset time', async () => {
		brevo.fake.failNext(429, { code: 'too_many_requests', message: 'Too many requests' }, { headers: { 'x-sib-ratelimit-reset': '3000' } });
		const started = Date.now();
		const error = await failingRun({ ...send, options: { maxWait: 60 } });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(error.message).toContain('resets in 3000 s');
		expect(error.description).toContain('Waited 0 s of the 60 s allowed by Options → Max Wait');
		expect(brevo.fake.requests).toHaveLength(1);
	});

	test.each([500, 502, 503])("%i: Brevo's message, never retried (a send could be posted twice)", async (status) => {
		brevo.fake.failNext(status, { code: 'internal_error', message: 'Something went wrong on our side' });
		const error = await failingRun();
		expect(error.message).toBe('Something went wrong on our side [item 0]');
		expect(error.description).toContain('not retried automatically');
		expect(error.httpCode).toBe(String(status));
		expect(brevo.fake.requests).toHaveLength(1);
		expect(brevo.fake.messages.size).toBe(0);
	});

	test('a non-JSON error page and an empty error body still give a useful message', async () => {
		brevo.fake.failNext(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { headers: { 'content-type': 'text/html' } });
		const html = await failingRun();
		expect(html.message).toBe('Brevo answered HTTP 502 without an explanation [item 0]');
		expect(html.description).toContain('not retried');

		brevo.fake.failNext(503, '');
		const empty = await failingRun();
		expect(empty.message).toBe('Brevo answered HTTP 503 without an explanation [item 0]');

		brevo.fake.failNext(400, 'visitorId must be a string', { headers: { 'content-type': 'text/plain' } });
		const text = await failingRun();
		expect(text.message).toBe('visitorId must be a string [item 0]');
	});

	test('an unreachable server: a connection error, not retried, with no request details', async () => {
		const { error } = await runNode({ parameters: send as never, input: [{}], credentials: { ...brevo.credentials, baseUrl: 'http://127.0.0.1:9/v3' } });
		expect(error?.message).toMatch(/\[item 0\]$/);
		expect(error?.description).toContain('Check the Base URL in the credential');
	});

	test("an error raised before sending says nothing was sent, and does not blame the Base URL", async () => {
		// Item 1's API key expression names a node the workflow lacks: n8n's credentials helper throws; item 0 is sent.
		const credentials = { ...brevo.credentials, apiKey: "={{ $json.apiKey || $('Account lookup').item.json.apiKey }}" };
		const { output, error } = await runNode({
			parameters: send as never,
			input: [{ apiKey: brevo.credentials.apiKey }, {}],
			credentials,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(brevo.fake.requests).toHaveLength(1);
		expect(output[0].error).toBeUndefined();
		const notSent = output[1].error as NonNullable<(typeof output)[1]['error']>;
		expect(notSent.message).toMatch(/\[item 1\]$/);
		expect(notSent.description).toMatch(/Nothing was sent to Brevo\.$/);
		expect(notSent.description).not.toContain('Check the Base URL');
		expect(notSent.description).not.toContain('not retried');
	});

	test("a host outside the credential's Allowed Domains: refused before sending, nothing was sent", async () => {
		const credentials = { ...brevo.credentials, allowedHttpRequestDomains: 'domains', allowedDomains: 'api.brevo.com' };
		const { error } = await runNode({ parameters: send as never, input: [{}], credentials });
		expect(brevo.fake.requests).toHaveLength(0);
		expect(error?.message).toMatch(/^Domain not allowed: .*\[item 0\]$/);
		expect(error?.description).toMatch(/Nothing was sent to Brevo\.$/);
		expect(error?.description).not.toContain('Check the Base URL');
	});
});
