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
			action: `Delete ${noun}`,
			description: `Delete ${noun} from the visitor's conversation`,
			routing: brevoRouting({ method: 'DELETE', path, buildRequest: addMessageIdToPath, shapeOutput: returnDeleted }),
		},
		{
			name: 'Get',
			value: 'get',
			action: `Get ${noun}`,
			description: `Retrieve ${noun} by its ID`,
			routing: brevoRouting({ method: 'GET', path, buildRequest: addMessageIdToPath }),
		},
		{
			name: 'Update',
			value: 'update',
			action: `Update ${noun}`,
			description: `Change the text of ${noun}`,
			routing: brevoRouting({ method: 'PUT', path, buildRequest: buildMessageUpdate }),
		},
	];
}
