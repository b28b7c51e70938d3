import type { INodeProperties } from 'n8n-workflow';
import { storedMessageOperations } from '../storedMessageOperations';
import { automatedMessageSendOperation } from './send';

export const automatedMessageOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['automatedMessage'] } },
	options: [
		automatedMessageSendOperation,
		...storedMessageOperations('an automated message', '/conversations/pushedMessages'),
	].sort((a, b) => a.name.localeCompare(b.name)),
	default: 'send',
};

export { automatedMessageSendFields } from './send';
