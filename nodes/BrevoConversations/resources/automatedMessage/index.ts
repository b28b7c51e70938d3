import { operationSelector } from '../operationSelector';
import { storedMessageOperations } from '../storedMessageOperations';
import { automatedMessageSendOperation } from './send';

export const automatedMessageOperations = operationSelector(
	'automatedMessage',
	[automatedMessageSendOperation, ...storedMessageOperations('an automated message', '/conversations/pushedMessages')],
	'send',
);

export { automatedMessageSendFields } from './send';
