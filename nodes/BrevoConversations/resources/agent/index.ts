import type { INodeProperties } from 'n8n-workflow';
import { agentSetOnlineOperation } from './setOnline';

export const agentOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['agent'] } },
	options: [agentSetOnlineOperation],
	default: 'setOnline',
};
