import type { INodePropertyOptions } from 'n8n-workflow';
import { buildMessageSend } from '../../helpers/requestBodies';
import { brevoRouting } from '../../helpers/routing';

export const messageSendOperation: INodePropertyOptions = {
	name: 'Send',
	value: 'send',
	action: 'Send a message to a chat visitor as an agent',
	description: 'Write to a visitor in the chat as one of your agents; the visitor sees it at once',
	routing: brevoRouting({ method: 'POST', path: '/conversations/messages', buildRequest: buildMessageSend }),
};
