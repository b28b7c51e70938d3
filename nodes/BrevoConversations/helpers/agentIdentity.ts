import type { IDataObject, IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';
import type { TextRules } from './fieldValues';
import { readEmail, readReceivedFrom, readRequiredId } from './readParameters';

/** Received From for each way of naming the agent: Brevo requires it with an email, not with an ID. */
const RECEIVED_FROM_RULES: Record<'id' | 'email', TextRules> = {
	id: { required: false, trim: true },
	email: { required: true, trim: true },
};

/**
 * Brevo identifies the agent behind a message or an online ping either by `agentId` alone, or by
 * `agentEmail` + `agentName` + `receivedFrom` together (an unknown email creates a "dummy agent").
 */
export function readAgentIdentity(ctx: IExecuteSingleFunctions): IDataObject {
	const identifyBy = ctx.getNodeParameter('identifyAgentBy', 'id') === 'email' ? 'email' : 'id';
	const identity: IDataObject =
		identifyBy === 'email'
			? { agentEmail: readEmail(ctx, 'agentEmail', 'Agent Email'), agentName: readRequiredId(ctx, 'agentName', 'Agent Name') }
			: { agentId: readRequiredId(ctx, 'agentId', 'Agent ID') };
	const receivedFrom = readReceivedFrom(ctx, 'receivedFrom', 'Received From', RECEIVED_FROM_RULES[identifyBy]);
	if (receivedFrom !== undefined) identity.receivedFrom = receivedFrom;
	return identity;
}

/** The identity fields, shown for every operation listed in `show` (each name defined once). */
export function agentIdentityFields(show: { resource: string[]; operation: string[] }): INodeProperties[] {
	const byId = { show: { ...show, identifyAgentBy: ['id'] } };
	const byEmail = { show: { ...show, identifyAgentBy: ['email'] } };
	return [
		{
			displayName: 'Identify Agent By',
			name: 'identifyAgentBy',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show },
			options: [
				{
					name: 'Agent ID',
					value: 'id',
					description: 'An existing agent, by the ID shown in Brevo',
				},
				{
					name: 'Email and Name',
					value: 'email',
					description:
						'An agent named by email; Brevo creates an agent for an email it does not know (useful for bots)',
				},
			],
			default: 'id',
		},
		{
			displayName: 'Agent ID',
			name: 'agentId',
			type: 'string',
			required: true,
			displayOptions: byId,
			default: '',
			placeholder: 'e.g. d9nKoegKSjmCtyK78',
			description:
				"The agent to act as: the agent's ID from a Conversations webhook or the agent's page in Brevo (Conversations → Settings → Agents)",
		},
		{
			displayName: 'Agent Email',
			name: 'agentEmail',
			type: 'string',
			placeholder: 'e.g. nathan@example.com',
			required: true,
			displayOptions: byEmail,
			default: '',
			description: 'Email address of the agent; Brevo creates an agent for an unknown address',
		},
		{
			displayName: 'Agent Name',
			name: 'agentName',
			type: 'string',
			required: true,
			displayOptions: byEmail,
			default: '',
			placeholder: 'e.g. Order Bot',
			description: 'Name the visitor sees for this agent',
		},
		{
			displayName: 'Received From',
			name: 'receivedFrom',
			type: 'string',
			displayOptions: { show },
			default: '',
			placeholder: 'e.g. n8n-order-bot',
			description:
				'A label marking messages sent from this workflow, so a Brevo Conversations Trigger can ignore them instead of answering itself. No commas (the trigger lists labels separated by commas). Required when identifying the agent by email.',
		},
	];
}
