import type { INodeProperties } from 'n8n-workflow';
import { storedMessageOperations } from '../storedMessageOperations';
import { messageSendOperation } from './send';

export const messageOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'] } },
	options: [messageSendOperation, ...storedMessageOperations('a message', '/conversations/messages')].sort(
		(a, b) => a.name.localeCompare(b.name),
	),
	default: 'send',
};
