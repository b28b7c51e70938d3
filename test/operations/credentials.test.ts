import { API_KEY, useFakeBrevo } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

const PARTNER_KEY = 'partner-key-for-tests';
const brevo = useFakeBrevo({ partnerKey: PARTNER_KEY });

const ping = { resource: 'agent', operation: 'setOnline', agentId: 'agent-1' };

describe('credential', () => {
	test('sends partner-key next to api-key when set', async () => {
		const { output, error } = await runNode({ parameters: ping, input: [{}, {}, {}], credentials: brevo.credentials });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		for (const r of brevo.fake.requests) {
			expect(r.headers['api-key']).toBe(API_KEY);
			expect(r.headers['partner-key']).toBe(PARTNER_KEY);
		}
	});

	test('is read once per node run, not once per item (n8n would decrypt it from its database for every request)', async () => {
		const input = Array.from({ length: 12 }, () => ({}));
		const { output, error, credentialReads } = await runNode({ parameters: ping, input, credentials: brevo.credentials });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(12);
		expect(brevo.fake.requests).toHaveLength(12);
		expect(brevo.fake.requests.every((r) => r.headers['api-key'] === API_KEY)).toBe(true);
		// One read is n8n's own, for `$credentials` in the routing; the other is the node's (sendRequest.ts).
		expect(credentialReads).toBe(2);
	});

	test('sends no partner-key header when it is empty (the fake then refuses, as Brevo would for a partner account)', async () => {
		const { error } = await runNode({ parameters: ping, input: [{}], credentials: { ...brevo.credentials, partnerKey: '' } });
		expect(brevo.fake.requests).toHaveLength(1);
		expect('partner-key' in brevo.fake.requests[0].headers).toBe(false);
		expect(error?.message).toBe('Partner key not found [item 0]');
	});

	test('a base URL with trailing slashes still reaches /v3/conversations/…', async () => {
		const { error } = await runNode({ parameters: ping, input: [{}], credentials: { ...brevo.credentials, baseUrl: `${brevo.credentials.baseUrl}//` } });
		expect(error).toBeUndefined();
		expect(brevo.fake.requests.map((r) => r.path)).toEqual(['/v3/conversations/agentOnlinePing']);
	});

	test('a wrong API key: Brevo\'s "Key not found" with how to fix it', async () => {
		const { error, output } = await runNode({ parameters: ping, input: [{}], credentials: { ...brevo.credentials, apiKey: 'xkeysib-wrong' } });
		expect(output).toEqual([]);
		expect(error?.message).toBe('Key not found [item 0]');
		expect(error?.description).toContain('Check the API key in the "Brevo Conversations API" credential');
		expect((error as { httpCode?: string }).httpCode).toBe('401');
	});
});
