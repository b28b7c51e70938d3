import { operationSelector } from '../operationSelector';
import { storedMessageOperations } from '../storedMessageOperations';
import { messageSendOperation } from './send';

export const messageOperations = operationSelector(
	'message',
	[messageSendOperation, ...storedMessageOperations("an agent's message", '/conversations/messages')],
	'send',
);
