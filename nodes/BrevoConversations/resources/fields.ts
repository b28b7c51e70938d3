import type { INodeProperties } from 'n8n-workflow';
import { agentIdentityFields } from '../helpers/agentIdentity';
import { messageIdField, textField, visitorIdField } from '../helpers/messageFields';
import { requestPolicyOptions } from '../helpers/requestPolicy';
import { automatedMessageSendFields } from './automatedMessage';

/** Every field of every operation, in the order the editor shows them. */
export const operationFields: INodeProperties[] = [
	messageIdField,
	visitorIdField,
	textField,
	// Message → Send and Agent → Set Online identify the agent the same way.
	...agentIdentityFields({ resource: ['message', 'agent'], operation: ['send', 'setOnline'] }),
	...automatedMessageSendFields,
	requestPolicyOptions,
];
