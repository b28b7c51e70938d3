import { API_KEY, useFakeBrevo } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

const PARTNER_KEY = 'partner-key-for-tests';
const brevo = useFakeBrevo({ partnerKey: PARTNER_KEY });
/** One n8n serving two Brevo accounts: the fake accepts both keys. */
const tenants = useFakeBrevo({ apiKey: ['xkeysib-tenant-a', 'xkeysib-tenant-b'] });

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

	test('is resolved for each item: an API key from an expression reaches Brevo with that item, not item 0', async () => {
		const keys = ['xkeysib-tenant-a', 'xkeysib-tenant-b', 'xkeysib-tenant-a', 'xkeysib-tenant-b'];
		const input = keys.map((apiKey, i) => ({ apiKey, agentId: `agent-${i}` }));
		const parameters = { ...ping, agentId: '={{ $json.agentId }}' };
		const credentials = { ...tenants.credentials, apiKey: '={{ $json.apiKey }}' };
		const { output, error, credentialReads } = await runNode({ parameters, input, credentials });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(4);
		const keyByAgent = Object.fromEntries(tenants.fake.requests.map((r) => [r.body.agentId, r.headers['api-key']]));
		expect(keyByAgent).toEqual({ 'agent-0': keys[0], 'agent-1': keys[1], 'agent-2': keys[2], 'agent-3': keys[3] });
		// n8n's routing reads it once more for `$credentials` (the Base URL), for item 0.
		expect(credentialReads).toBe(5);
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
