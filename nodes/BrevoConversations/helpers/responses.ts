import type { IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';

/** Brevo answers a delete with 204 and no body; n8n's convention is an item saying what happened. */
export async function returnDeleted(this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
	return [{ json: { deleted: true } }];
}

/** Brevo answers an agent ping with 201 and no body. */
export async function returnSuccess(this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
	return [{ json: { success: true } }];
}
