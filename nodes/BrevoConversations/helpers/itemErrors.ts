import { NodeOperationError, type IExecuteSingleFunctions } from 'n8n-workflow';
import { InvalidFieldError } from './fieldValues';

/** n8n shows the item index in its own errors as `[item N]`; ours follow suit so a failing item is findable. */
export function withItemIndex(message: string, itemIndex: number): string {
	return `${message} [item ${itemIndex}]`;
}

/** Wraps a field problem into the n8n error the editor shows on the node, before any request is sent. */
export function toInputError(ctx: IExecuteSingleFunctions, error: unknown): Error {
	if (!(error instanceof InvalidFieldError)) return error as Error;
	const itemIndex = ctx.getItemIndex();
	return new NodeOperationError(ctx.getNode(), withItemIndex(error.message, itemIndex), {
		itemIndex,
		description: error.hint,
	});
}
