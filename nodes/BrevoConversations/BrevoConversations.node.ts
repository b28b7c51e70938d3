import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { DEFAULT_BREVO_BASE_URL } from '../../credentials/BrevoConversationsApi.credentials';
import { agentOperations } from './resources/agent';
import { automatedMessageOperations } from './resources/automatedMessage';
import { operationFields } from './resources/fields';
import { messageOperations } from './resources/message';
import { sendWithRequestPolicy } from './helpers/sendWithRequestPolicy';

export class BrevoConversations implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Brevo Conversations',
		name: 'brevoConversations',
		icon: { light: 'file:brevoConversations.svg', dark: 'file:brevoConversations.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send, edit and delete Brevo Conversations chat messages and keep agents online',
		defaults: { name: 'Brevo Conversations' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'brevoConversationsApi', required: true }],
		requestDefaults: {
			// The credential's authenticate() replaces this with its Base URL (sandbox, legacy host);
			// a static value here spares n8n an expression evaluation per item.
			baseURL: DEFAULT_BREVO_BASE_URL,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			json: true,
			// Failed answers reach throwOnBrevoError, which shows Brevo's own message.
			ignoreHttpStatusErrors: true,
		},
		requestOperations: { pagination: sendWithRequestPolicy },
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Agent', value: 'agent' },
					{ name: 'Automated Message', value: 'automatedMessage' },
					{ name: 'Message', value: 'message' },
				],
				default: 'message',
			},
			messageOperations,
			automatedMessageOperations,
			agentOperations,
			...operationFields,
		],
	};
}
