import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export const DEFAULT_BREVO_BASE_URL = 'https://api.brevo.com/v3';

/** What the credential test says when Brevo answers GET /account with these statuses. */
export const CREDENTIAL_TEST_MESSAGES = {
	401: 'Brevo refused the API key. Copy a key from Brevo → Settings → SMTP & API → API Keys into API Key; leave Partner Key empty unless you are a Brevo partner. If your account only accepts known IP addresses, add this n8n server\'s IP under Brevo → Security → Authorised IPs.',
	404: `Nothing answers at this Base URL. It must end with /v3: keep ${DEFAULT_BREVO_BASE_URL} (or the legacy https://api.sendinblue.com/v3).`,
} as const;

/** Trailing slashes would make `…/v3/` + `/conversations` a double slash, which Brevo answers 404. */
export function normaliseBaseUrl(value: unknown): string {
	const url = typeof value === 'string' ? value.trim() : '';
	return (url || DEFAULT_BREVO_BASE_URL).replace(/\/+$/, '');
}

export class BrevoConversationsApi implements ICredentialType {
	name = 'brevoConversationsApi';

	displayName = 'Brevo Conversations API';

	icon = {
		light: 'file:brevoConversations.svg',
		dark: 'file:brevoConversations.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-brevo-conversations/n8n-nodes-brevo-conversations#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. xkeysib-…',
			description:
				'Your Brevo API key (starts with xkeysib-), from Brevo → Settings → SMTP & API → API Keys',
		},
		{
			displayName: 'Partner Key',
			name: 'partnerKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for Brevo partner or reseller accounts acting on a client account: the partner key Brevo gave you, sent alongside the API key. Leave empty otherwise.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BREVO_BASE_URL,
			placeholder: 'e.g. https://api.brevo.com/v3',
			description:
				'Brevo API address. Keep the default; the legacy https://api.sendinblue.com/v3 and a local sandbox work too.',
		},
	];

	/**
	 * A function rather than n8n's generic `{ headers: { 'api-key': '={{$credentials.apiKey}}' } }`:
	 * the generic form costs an expression evaluation per header per item, and cannot leave out an
	 * empty partner-key header. It also points the request at the credential's base URL, so the node
	 * needs no `={{$credentials.baseUrl}}` expression (evaluated twice per item by the routing engine).
	 * It returns a new object: the caller's options stay free of secrets.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers: Record<string, string> = {
			...(requestOptions.headers as Record<string, string> | undefined),
			'api-key': String(credentials.apiKey ?? ''),
		};
		const partnerKey = typeof credentials.partnerKey === 'string' ? credentials.partnerKey.trim() : '';
		if (partnerKey) headers['partner-key'] = partnerKey;
		return { ...requestOptions, baseURL: normaliseBaseUrl(credentials.baseUrl), headers };
	}

	// n8n shows a matching rule's message instead of the bare HTTP status ("Unauthorized", "Not Found").
	test: ICredentialTestRequest = {
		request: {
			// The same address authenticate() sends to (normaliseBaseUrl), written as an n8n expression.
			baseURL:
				'={{ (String($credentials.baseUrl ?? "").trim() || "' + DEFAULT_BREVO_BASE_URL + '").replace(/\\/+$/, "") }}',
			url: '/account',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: CREDENTIAL_TEST_MESSAGES[401] },
			},
			{
				type: 'responseCode',
				properties: { value: 404, message: CREDENTIAL_TEST_MESSAGES[404] },
			},
		],
	};
}
