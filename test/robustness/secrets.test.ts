import { useFakeBrevo } from '../harness/fixtures';
import { runNode, type RunResult } from '../harness/runNode';

const API_KEY_SENTINEL = 'xkeysib-SENTINEL-api-key-7f3a9c';
const PARTNER_KEY_SENTINEL = 'SENTINEL-partner-key-51d0e2';

const brevo = useFakeBrevo({ apiKey: API_KEY_SENTINEL, partnerKey: PARTNER_KEY_SENTINEL });

/** Everything n8n keeps of a run: output items, errors (through their toJSON) and the whole execution data. */
function everythingStored(result: RunResult): string[] {
	const errors = [result.error, ...result.output.map((o) => o.error)].filter(Boolean);
	return [
		JSON.stringify(result.output),
		JSON.stringify(result.run),
		...errors.map((e) => `${e?.message} ${e?.description} ${JSON.stringify(e)} ${(e as Error).stack}`),
	];
}

function expectNoSecrets(result: RunResult) {
	for (const text of everythingStored(result)) {
		expect(text).not.toContain(API_KEY_SENTINEL);
		expect(text).not.toContain(PARTNER_KEY_SENTINEL);
		expect(text).not.toContain('SENTINEL');
	}
}

const three = [{ n: 0 }, { n: 1 }, { n: 2 }];

describe('the API key and partner key never appear in outputs, errors or execution data', () => {
	test('every operation, successful', async () => {
		const credentials = brevo.credentials;
		const send = await runNode({ parameters: { resource: 'message', operation: 'send', visitorId: '=v-{{ $json.n }}', text: 'hi', agentId: 'a-1' }, input: three, credentials });
		expect(send.error?.message).toBeUndefined();
		expect(send.output).toHaveLength(3);
		const ids = send.output.map((o) => ({ id: o.json.id }));
		const pushed = await runNode({ parameters: { resource: 'automatedMessage', operation: 'send', visitorId: '=v-{{ $json.n }}', text: 'hi' }, input: three, credentials });
		const pushedIds = pushed.output.map((o) => ({ id: o.json.id }));
		const runs = [
			send,
			pushed,
			await runNode({ parameters: { resource: 'message', operation: 'get', messageId: '={{ $json.id }}' }, input: ids, credentials }),
			await runNode({ parameters: { resource: 'message', operation: 'update', messageId: '={{ $json.id }}', text: 'x' }, input: ids, credentials }),
			await runNode({ parameters: { resource: 'message', operation: 'delete', messageId: '={{ $json.id }}' }, input: ids, credentials }),
			await runNode({ parameters: { resource: 'automatedMessage', operation: 'get', messageId: '={{ $json.id }}' }, input: pushedIds, credentials }),
			await runNode({ parameters: { resource: 'automatedMessage', operation: 'update', messageId: '={{ $json.id }}', text: 'x' }, input: pushedIds, credentials }),
			await runNode({ parameters: { resource: 'automatedMessage', operation: 'delete', messageId: '={{ $json.id }}' }, input: pushedIds, credentials }),
			await runNode({ parameters: { resource: 'agent', operation: 'setOnline', agentId: 'a-1' }, input: three, credentials }),
		];
		for (const run of runs) {
			expect(run.error).toBeUndefined();
			expect(run.output).toHaveLength(3);
			expectNoSecrets(run);
		}
		// The keys did reach Brevo: the check above is not vacuous.
		expect(brevo.fake.requests.every((r) => r.headers['api-key'] === API_KEY_SENTINEL && r.headers['partner-key'] === PARTNER_KEY_SENTINEL)).toBe(true);
	});

	const send = { resource: 'automatedMessage', operation: 'send', visitorId: 'v', text: 'hi' };
	const failures: Array<[string, () => void, Record<string, unknown>, Record<string, string>?]> = [
		['400', () => brevo.fake.failNext(400, { code: 'invalid_parameter', message: 'bad' }), send],
		['401 wrong key', () => undefined, send, { apiKey: `${API_KEY_SENTINEL}-wrong` }],
		['401 blocked IP', () => brevo.fake.blockIp(true), send],
		['403', () => brevo.fake.failNext(403, { code: 'permission_denied', message: 'no' }), send],
		['404', () => undefined, { resource: 'message', operation: 'get', messageId: 'missing' }],
		['429 fail', () => brevo.fake.failNext(429, { message: 'Too many requests' }, { headers: { 'x-sib-ratelimit-reset': '999' } }), { ...send, options: { onRateLimit: 'fail' } }],
		['500', () => brevo.fake.failNext(500, { message: 'boom' }), send],
		['HTML 502', () => brevo.fake.failNext(502, '<html>bad gateway</html>'), send],
		['connection refused', () => undefined, send, { baseUrl: 'http://127.0.0.1:9/v3' }],
		['invalid input', () => undefined, { ...send, visitorId: '={{ "" }}' }],
	];

	describe.each([false, true])('with Continue On Fail %s', (continueOnFail) => {
		test.each(failures)('%s', async (_name, arrange, parameters, credentialChanges = {}) => {
			arrange();
			try {
				const result = await runNode({ parameters: parameters as never, input: [{}], credentials: { ...brevo.credentials, ...credentialChanges }, continueOnFail });
				expect(continueOnFail ? result.output[0]?.error : result.error).toBeDefined();
				expectNoSecrets(result);
			} finally {
				brevo.fake.blockIp(false);
			}
		});
	});
});
