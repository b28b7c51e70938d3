'use strict';
/**
 * Bench only (bench/run.js, variant N): the "before" figure. A declarative node for Brevo's
 * Automated Message → Send, built the way n8n's declarative-node tutorial builds one: base URL from
 * the credential by expression in requestDefaults, the key by the credential's generic
 * `authenticate`, each field sent by `routing.send`. Plain CommonJS, no build step; not published.
 */
Object.defineProperty(exports, '__esModule', { value: true });
exports.NaiveBrevo = void 0;

/** A required text field sent as one body property by `routing.send`, as the tutorial does it. */
function bodyField(displayName, name) {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: { resource: ['automatedMessage'], operation: ['send'] } },
		routing: { send: { type: 'body', property: name } },
	};
}

class NaiveBrevo {
	description = {
		displayName: 'Naive Brevo',
		name: 'naiveBrevo',
		icon: 'file:naiveBrevo.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Bench only: Brevo Conversations automated message, tutorial-style declarative node',
		defaults: {
			name: 'Naive Brevo',
		},
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{
				name: 'naiveBrevoApi',
				required: true,
			},
		],
		requestDefaults: {
			baseURL: '={{$credentials.baseUrl}}',
			headers: {
				Accept: 'application/json',
				'Content-Type': 'application/json',
			},
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Automated Message',
						value: 'automatedMessage',
					},
				],
				default: 'automatedMessage',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: {
					show: {
						resource: ['automatedMessage'],
					},
				},
				options: [
					{
						name: 'Send',
						value: 'send',
						action: 'Send an automated message',
						description: 'Send an automated message to a visitor',
						routing: {
							request: {
								method: 'POST',
								url: '/conversations/pushedMessages',
							},
						},
					},
				],
				default: 'send',
			},
			bodyField('Visitor ID', 'visitorId'),
			bodyField('Text', 'text'),
		],
	};
}
exports.NaiveBrevo = NaiveBrevo;
