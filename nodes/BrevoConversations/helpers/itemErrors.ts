import { NodeOperationError, type IExecuteSingleFunctions, type INode } from 'n8n-workflow';
import { InvalidFieldError } from './fieldValues';

/** n8n shows the item index in its own errors as `[item N]`; ours follow suit so a failing item is findable. */
export function withItemIndex(message: string, itemIndex: number): string {
	return `${message} [item ${itemIndex}]`;
}

/**
 * Whether this run is a tool call of an AI agent. n8n registers a `usableAsTool` node a second
 * time as `<name>Tool` and the agent runs that copy. A failed tool call reaches the model as
 * `{"error": <the error's message>}` and nothing else (measured in n8n 2.41: the description is
 * dropped), so in a tool run the message itself must say what went wrong and what to do.
 */
export function runsAsTool(ctx: { getNode(): INode }): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/** Wraps a field problem into the n8n error the editor shows on the node, before any request is sent. */
export function toInputError(ctx: IExecuteSingleFunctions, error: unknown): Error {
	if (!(error instanceof InvalidFieldError)) return error as Error;
	const itemIndex = ctx.getItemIndex();
	const message = runsAsTool(ctx)
		? `${error.message}, so nothing was sent to Brevo. If you filled in ${error.field}, call the tool again with a valid value; otherwise the workflow's owner must fix this field in the node.`
		: withItemIndex(error.message, itemIndex);
	return new NodeOperationError(ctx.getNode(), message, { itemIndex, description: error.hint });
}
