import { BrevoConversationsApi, DEFAULT_BREVO_BASE_URL, normaliseBaseUrl } from '../../credentials/BrevoConversationsApi.credentials';

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

test.each([
	[undefined, 'https://api.brevo.com/v3'],
	['', 'https://api.brevo.com/v3'],
	['https://api.brevo.com/v3///', 'https://api.brevo.com/v3'],
	[' http://127.0.0.1:4010/v3/ ', 'http://127.0.0.1:4010/v3'],
])('normaliseBaseUrl(%p) = %p', (raw, expected) => {
	expect(normaliseBaseUrl(raw)).toBe(expected);
});

test('credential test request is GET /account, with a trailing slash removed', () => {
	expect(credential.test.request).toMatchObject({ url: '/account', method: 'GET' });
	expect(credential.properties.map((p) => [p.name, p.typeOptions?.password ?? false, p.required ?? false])).toEqual([
		['apiKey', true, true],
		['partnerKey', true, false],
		['baseUrl', false, false],
	]);
});
