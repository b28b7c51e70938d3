import { operationSelector } from '../operationSelector';
import { storedMessageOperations } from '../storedMessageOperations';
import { messageSendOperation } from './send';

export const messageOperations = operationSelector(
	'message',
	[messageSendOperation, ...storedMessageOperations('a message', '/conversations/messages')],
	'send',
);
