import { Workflow, type INode } from 'n8n-workflow';
import { BrevoConversationsApi, DEFAULT_BREVO_BASE_URL, normaliseBaseUrl } from '../../credentials/BrevoConversationsApi.credentials';
import { ManualTrigger, registryOf } from '../harness/runNode';

const credential = new BrevoConversationsApi();

describe('BrevoConversationsApi.authenticate', () => {
	test('adds api-key, no partner-key when empty or blank, and points at the base URL', async () => {
		for (const partnerKey of [undefined, '', '   ']) {
			const out = await credential.authenticate({ apiKey: 'k', ...(partnerKey === undefined ? {} : { partnerKey }), baseUrl: 'https://api.sendinblue.com/v3/' }, { url: '/account', headers: { Accept: 'application/json' } });
			expect(out.headers).toEqual({ Accept: 'application/json', 'api-key': 'k' });
			expect(out.baseURL).toBe('https://api.sendinblue.com/v3');
		}
	});

	test('adds partner-key when set, and leaves the caller\'s options without secrets', async () => {
		const original = { url: '/x', headers: {} };
		const out = await credential.authenticate({ apiKey: 'k', partnerKey: 'p', baseUrl: '' }, original);
		expect(out.headers).toEqual({ 'api-key': 'k', 'partner-key': 'p' });
		expect(out.baseURL).toBe(DEFAULT_BREVO_BASE_URL);
		expect(original).toEqual({ url: '/x', headers: {} });
	});
});

const baseUrls: Array<[unknown, string]> = [
	[undefined, 'https://api.brevo.com/v3'],
	['', 'https://api.brevo.com/v3'],
	['   ', 'https://api.brevo.com/v3'],
	['https://api.brevo.com/v3///', 'https://api.brevo.com/v3'],
	[' http://127.0.0.1:4010/v3/ ', 'http://127.0.0.1:4010/v3'],
];

test.each(baseUrls)('normaliseBaseUrl(%p) = %p', (raw, expected) => {
	expect(normaliseBaseUrl(raw)).toBe(expected);
});

/** The credential test's Base URL as n8n evaluates it: its expression engine, with `$credentials` set. */
function evaluatedTestBaseUrl(baseUrl: unknown): unknown {
	const node: INode = { id: 'c', name: 'Credential test', type: 'test.trigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: registryOf({ 'test.trigger': new ManualTrigger() }) });
	return workflow.expression.getParameterValue(credential.test.request.baseURL as string, null, 0, 0, node.name, [], 'manual', {
		$credentials: { baseUrl },
	} as never);
}

test.each(baseUrls)('credential test request for Base URL %p goes to %p, as the node\'s requests do', (raw, expected) => {
	expect(evaluatedTestBaseUrl(raw)).toBe(expected);
});

test('credential test request is GET /account; the fields are API Key (secret, required), Partner Key (secret), Base URL', () => {
	expect(credential.test.request).toMatchObject({ url: '/account', method: 'GET' });
	expect(credential.properties.map((p) => [p.name, p.typeOptions?.password ?? false, p.required ?? false])).toEqual([
		['apiKey', true, true],
		['partnerKey', true, false],
		['baseUrl', false, false],
	]);
});
