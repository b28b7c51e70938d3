import type { INodeProperties } from 'n8n-workflow';
import { MIN_SECRET_LENGTH, TOKEN_QUERY_PARAMETER } from './helpers/webhookSecret';

const version1 = { show: { '@version': [1] } };
const version2 = { show: { '@version': [2] } };

const ignoreReceivedFrom: INodeProperties = {
	displayName: 'Ignore Messages Received From',
	name: 'ignoreReceivedFrom',
	type: 'string',
	default: '',
	placeholder: 'e.g. n8n-order-bot',
	description:
		'The Received From label your workflow sends replies with (comma-separated for several): those messages start nothing, so a reply workflow never answers itself',
};

export const triggerProperties: INodeProperties[] = [
	{
		displayName: `Brevo has no API for webhooks: in Brevo open Conversations → Settings → Integrations → Webhooks, add a webhook whose URL is this node's Webhook URL followed by ?${TOKEN_QUERY_PARAMETER}= and the token of the credential above, and tick the same events as below. Use the Production URL once the workflow is active, the Test URL while building it.`,
		name: 'setupNotice',
		type: 'notice',
		default: '',
		displayOptions: version2,
	},
	{
		displayName: `Brevo has no API for webhooks: in Brevo open Conversations → Settings → Integrations → Webhooks, add a webhook whose URL is this node's Webhook URL followed by ?${TOKEN_QUERY_PARAMETER}= and your Secret, and tick the same events as below. This version keeps the Secret in the workflow: add a new Brevo Conversations Trigger to keep it in a credential instead.`,
		name: 'setupNoticeV1',
		type: 'notice',
		default: '',
		displayOptions: version1,
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
		displayOptions: version1,
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
		displayOptions: version2,
		options: [
			{
				displayName: 'Download Timeout (Seconds)',
				name: 'downloadTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
				description:
					'How long each file may take to download when Download Visitor Files is on; a slower file is skipped and listed in skippedFiles',
			},
			{
				displayName: 'Download Visitor Files',
				name: 'downloadFiles',
				type: 'boolean',
				default: false,
				description:
					'Whether to download the files the visitor sent in this event into the binary data of the item (attachment_0, attachment_1, …); a file that cannot be downloaded is listed in skippedFiles and the workflow starts anyway',
			},
			ignoreReceivedFrom,
			{
				displayName: 'Max File Size (MB)',
				name: 'maxFileSize',
				type: 'number',
				typeOptions: { minValue: 0.1, numberPrecision: 1 },
				default: 10,
				description: 'Larger files are not downloaded and are listed in skippedFiles',
			},
			{
				displayName: 'Start On',
				name: 'startOn',
				type: 'options',
				options: [
					{
						name: 'Visitor Messages Only',
						value: 'visitorMessage',
						description:
							'Start only when the event holds a message the visitor wrote; messages of agents, automated messages and bots start nothing, so a reply cannot loop',
					},
					{
						name: 'Any New Message',
						value: 'anyMessage',
						description: 'Start on every new message, whoever wrote it (for logging or analytics workflows)',
					},
				],
				default: 'visitorMessage',
				description:
					'Which Conversation Started and Conversation Fragment events start the workflow; transcripts always do',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: version1,
		options: [ignoreReceivedFrom],
	},
];
