import type { INodeProperties } from 'n8n-workflow';
import { MIN_SECRET_LENGTH, TOKEN_QUERY_PARAMETER } from './helpers/webhookSecret';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: `Brevo has no API for webhooks: in Brevo open Conversations → Settings → Integrations → Webhooks, add a webhook whose URL is this node's Webhook URL followed by ?${TOKEN_QUERY_PARAMETER}= and your Secret, and tick the same events as below. Use the Production URL once the workflow is active, the Test URL while building it.`,
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{
				name: 'Conversation Fragment',
				value: 'conversationFragment',
				description: 'New messages in an ongoing conversation',
			},
			{
				name: 'Conversation Started',
				value: 'conversationStarted',
				description: 'A visitor or an agent started a conversation',
			},
			{
				name: 'Conversation Transcript',
				value: 'conversationTranscript',
				description: 'A conversation finished; carries all its messages',
			},
		],
		default: [],
		description: 'The events that start the workflow; Brevo calls for other events are acknowledged and ignored',
	},
	{
		displayName: 'Secret',
		name: 'secret',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		placeholder: 'e.g. 3f9c2a7d41b84e6f9a0c5d2e8b7f1a64',
		description: `A random string of at least ${MIN_SECRET_LENGTH} letters and digits that Brevo must send as the ${TOKEN_QUERY_PARAMETER} query parameter; Brevo signs nothing, so this keeps others from starting the workflow`,
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Ignore Messages Received From',
				name: 'ignoreReceivedFrom',
				type: 'string',
				default: '',
				placeholder: 'e.g. n8n-order-bot',
				description:
					'The Received From label your workflow sends replies with (comma-separated for several): those messages start nothing, so a reply workflow never answers itself',
			},
		],
	},
];
