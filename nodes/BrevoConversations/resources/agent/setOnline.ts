import type { INodePropertyOptions } from 'n8n-workflow';
import { buildAgentOnlinePing } from '../../helpers/requestBodies';
import { returnSuccess } from '../../helpers/responses';
import { brevoRouting } from '../../helpers/routing';

export const agentSetOnlineOperation: INodePropertyOptions = {
	name: 'Set Online',
	value: 'setOnline',
	action: 'Show an agent as online to chat visitors',
	description:
		'Show an agent as online in the chat for the next 2–3 minutes; repeat every minute to keep them online',
	routing: brevoRouting({
		method: 'POST',
		path: '/conversations/agentOnlinePing',
		buildRequest: buildAgentOnlinePing,
		shapeOutput: returnSuccess,
	}),
};
