'use strict';
/**
 * Bench only (bench/run.js, variant N). The credential of the naive node, as n8n's declarative-node
 * tutorial writes one: the key sent by the generic `authenticate` (an expression per header), the
 * base URL read by the node through `={{$credentials.baseUrl}}`.
 */
Object.defineProperty(exports, '__esModule', { value: true });
exports.NaiveBrevoApi = void 0;

class NaiveBrevoApi {
	name = 'naiveBrevoApi';

	displayName = 'Naive Brevo API';

	documentationUrl = 'https://developers.brevo.com/reference/sendautomatedmessage';

	properties = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.brevo.com/v3',
		},
	];

	authenticate = {
		type: 'generic',
		properties: {
			headers: {
				'api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	test = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/account',
		},
	};
}
exports.NaiveBrevoApi = NaiveBrevoApi;
