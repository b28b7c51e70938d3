import type { INodeProperties } from 'n8n-workflow';

/**
 * Fields that Message and Automated Message share. Each is defined once and shown for every
 * operation that uses it: n8n's routing engine evaluates every defined field's expression for each
 * item (twice), shown or not, so duplicates would multiply that cost.
 */
const bothMessageResources = ['message', 'automatedMessage'];

export const visitorIdField: INodeProperties = {
	displayName: 'Visitor ID',
	name: 'visitorId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. kZMvWhf8npAu3H6qd57w2Hv6nh6rnxvg',
	description:
		"The chat visitor to write to: the visitor's ID that a Brevo Conversations Trigger outputs (from Brevo's webhook), or the ID you gave the visitor's account when binding it to the chat widget",
	displayOptions: { show: { resource: bothMessageResources, operation: ['send'] } },
};

export const textField: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	required: true,
	default: '',
	typeOptions: { rows: 4 },
	placeholder: 'e.g. Your order #1042 has shipped',
	description: 'The message the visitor reads in the chat, as plain text sent exactly as written',
	displayOptions: { show: { resource: bothMessageResources, operation: ['send', 'update'] } },
};

export const messageIdField: INodeProperties = {
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. eYBEm3gq3zc5ayE2g',
	description:
		"The message's ID, e.g. the ID that Send output for it; only agents' messages can be changed or deleted, not the visitor's",
	displayOptions: { show: { resource: bothMessageResources, operation: ['get', 'update', 'delete'] } },
};
