import type { INodeProperties } from 'n8n-workflow';
import { MAX_CONVERSATIONS, MAX_PAUSE_MINUTES } from './helpers/conversationMemory';
import { DOWNLOADS_IN_FLIGHT } from './helpers/downloadVisitorFiles';
import { DEFAULT_HUMAN_PAUSE_MINUTES } from './helpers/triggerSettings';
import { MIN_SECRET_LENGTH, TOKEN_QUERY_PARAMETER } from './helpers/webhookSecret';

const version1 = { show: { '@version': [1] } };
const version2 = { show: { '@version': [2] } };

const ignoreReceivedFrom: INodeProperties = {
	displayName: 'Ignore Received From',
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
		displayName: `Brevo has no API for webhooks: in Brevo open Conversations → Settings → Integrations → Webhooks, add a webhook whose URL is this node's Webhook URL followed by ?${TOKEN_QUERY_PARAMETER}= and your Secret, and tick the same events as below. This version keeps the Secret in the workflow: add a new Brevo Conversations Trigger to keep it in a credential instead (a new node has a new URL: see the README, Moving from trigger version 1 to version 2).`,
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
				displayName: 'Allowed File Hosts',
				name: 'allowedFileHosts',
				type: 'string',
				default: '',
				placeholder: 'e.g. files.intranet.example.com',
				description:
					'Hosts that Download Visitor Files may fetch from although their address is private, loopback or link-local (comma-separated), e.g. a self-hosted file server; links to other internal addresses are skipped',
			},
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
			{
				displayName: 'Handover Received From',
				name: 'handoverReceivedFrom',
				type: 'string',
				default: '',
				placeholder: 'e.g. n8n-handover',
				description:
					'The Received From label your workflow sends its "a colleague will take over" message with (comma-separated for several): such a message pauses the conversation like a human agent\'s',
			},
			{
				displayName: 'Human Agent Pause (Minutes)',
				name: 'humanPauseMinutes',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_PAUSE_MINUTES },
				default: DEFAULT_HUMAN_PAUSE_MINUTES,
				description: `After a human agent writes in a conversation, its visitor messages start nothing for this long (from the agent's last message) or until its transcript arrives; 0 never pauses, ${MAX_PAUSE_MINUTES} (a day) at most. Remembered for up to ${MAX_CONVERSATIONS} conversations.`,
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
				displayName: 'Max Files per Event',
				name: 'maxFiles',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
				description: `Files of an event past this count are not downloaded and are listed in skippedFiles; at most ${DOWNLOADS_IN_FLIGHT} download at a time`,
			},
			{
				displayName: 'Max Total Size (MB)',
				name: 'maxTotalSize',
				type: 'number',
				typeOptions: { minValue: 0.1, numberPrecision: 1 },
				default: 25,
				description: 'All files of one event together: once reached, the remaining files are listed in skippedFiles',
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
