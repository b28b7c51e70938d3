import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { buildAutomatedMessageSend } from '../../helpers/requestBodies';
import { brevoRouting } from '../../helpers/routing';

export const automatedMessageSendOperation: INodePropertyOptions = {
	name: 'Send',
	value: 'send',
	action: 'Send an automated message to a chat visitor',
	description: 'Push a message to a visitor, shown as coming from an agent Brevo picks or you choose',
	routing: brevoRouting({
		method: 'POST',
		path: '/conversations/pushedMessages',
		buildRequest: buildAutomatedMessageSend,
	}),
};

const showForSend = { resource: ['automatedMessage'], operation: ['send'] };

export const automatedMessageSendFields: INodeProperties[] = [
	{
		displayName: 'Sender',
		name: 'sender',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showForSend },
		options: [
			{ name: 'Any Agent', value: 'random', description: 'Brevo picks an agent of the account' },
			{ name: 'Agent of a Group', value: 'group', description: 'Brevo picks an agent of the given group' },
			{ name: 'Specific Agent', value: 'agent', description: 'The message comes from the given agent' },
		],
		default: 'random',
		description: 'Which agent the visitor sees as the author',
	},
	{
		displayName: 'Agent ID',
		name: 'agentId',
		type: 'string',
		required: true,
		displayOptions: { show: { ...showForSend, sender: ['agent'] } },
		default: '',
		placeholder: 'e.g. d9nKoegKSjmCtyK78',
		description:
			"The agent shown as the author: the agent's ID from a Conversations webhook or the agent's page in Brevo (Conversations → Settings → Agents)",
	},
	{
		displayName: 'Group ID',
		name: 'groupId',
		type: 'string',
		required: true,
		displayOptions: { show: { ...showForSend, sender: ['group'] } },
		default: '',
		placeholder: 'e.g. PjRBMhWGen6aRHjif',
		description:
			"The agent group's ID, from the group's page in Brevo (Conversations → Settings → Groups) or the visitor's group in a webhook",
	},
];
