import type { IDataObject, IExecutePaginationFunctions, INode } from 'n8n-workflow';

export const fakeNode: INode = {
	id: 'n',
	name: 'Brevo Conversations',
	type: 'n8n-nodes-brevo-conversations.brevoConversations',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/**
 * The slice of an n8n item context that the hooks use: parameters of one item, its index, the node.
 * Unit tests only — the integration tests run the hooks inside n8n's real engine.
 */
export function fakeItemContext(parameters: IDataObject, itemIndex = 0, extra: Partial<IExecutePaginationFunctions> = {}) {
	const executeData = {};
	return {
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getItemIndex: () => itemIndex,
		getNode: () => ({ ...fakeNode, parameters: parameters as INode['parameters'] }),
		getExecuteData: () => executeData,
		getExecutionCancelSignal: () => undefined,
		...extra,
	} as unknown as IExecutePaginationFunctions;
}
