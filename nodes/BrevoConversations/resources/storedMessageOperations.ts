import type { INodePropertyOptions } from 'n8n-workflow';
import { addMessageIdToPath, buildMessageUpdate } from '../helpers/requestBodies';
import { returnDeleted } from '../helpers/responses';
import { brevoRouting } from '../helpers/routing';

/**
 * Get, Update and Delete have the same shape for agents' messages and automated messages, on
 * different paths: defined once here, parametrised by the noun the user sees and the API path.
 */
export function storedMessageOperations(noun: string, path: string): INodePropertyOptions[] {
	return [
		{
			name: 'Delete',
			value: 'delete',
			action: `Delete ${noun} from the chat`,
			description: `Remove ${noun} from the visitor's conversation, by the message's ID`,
			routing: brevoRouting({ method: 'DELETE', path, buildRequest: addMessageIdToPath, shapeOutput: returnDeleted }),
		},
		{
			name: 'Get',
			value: 'get',
			action: `Get ${noun} by its ID`,
			description: `Retrieve ${noun}: its text, visitor, agent and time`,
			routing: brevoRouting({ method: 'GET', path, buildRequest: addMessageIdToPath }),
		},
		{
			name: 'Update',
			value: 'update',
			action: `Change the text of ${noun}`,
			description: `Replace the text of ${noun} the visitor already received, by the message's ID`,
			routing: brevoRouting({ method: 'PUT', path, buildRequest: buildMessageUpdate }),
		},
	];
}
