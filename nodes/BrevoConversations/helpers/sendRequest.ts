import {
	ApplicationError,
	type DeclarativeRestApiSettings,
	type ICredentialsDecrypted,
	type IExecutePaginationFunctions,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type INodeExecutionData,
} from 'n8n-workflow';
import { PerRun } from './perRun';

/** The credential type of the node's description (a literal there: n8n's lint reads it statically). */
const CREDENTIAL_TYPE = 'brevoConversationsApi';

const credentialsByRun = new PerRun<Promise<ICredentialsDecrypted>>();

/**
 * The node's credential, read once per node run. n8n's `makeRoutingRequest` hands no decrypted
 * credential to `httpRequestWithAuthentication`, which then loads it from the database and
 * decrypts it again for every request: measured ≈ 0.4 ms per item (bench/RESULTS.md), more than
 * an expression evaluation. The routing engine itself resolves `$credentials` once per run (for
 * item 0); this is the same credential, kept for the same run. The promise lives only as long as
 * the run's `executeData` and is never part of an output or an error.
 */
function credentialsOfRun(ctx: IExecutePaginationFunctions): Promise<ICredentialsDecrypted> {
	const runKey = ctx.getExecuteData();
	return credentialsByRun.get(runKey, () => {
		const { id, name } = ctx.getNode().credentials?.[CREDENTIAL_TYPE] ?? { id: null, name: '' };
		const credentials = ctx
			.getCredentials(CREDENTIAL_TYPE)
			.then((data) => ({ id: id ?? '', name, type: CREDENTIAL_TYPE, data }));
		// A failed read is not kept: the next item asks again and reports its own error.
		credentials.catch(() => credentialsByRun.forget(runKey));
		return credentials;
	});
}

/**
 * Sends one item's routed request and runs the operation's post-receive hooks on Brevo's answer:
 * what n8n's `makeRoutingRequest` does (RoutingNode.rawRoutingRequest + postProcessResponseData),
 * except that the credential comes from `credentialsOfRun`. The node's hooks are all functions
 * (see routing.ts); a declarative post-receive action would need n8n's own runner, so it is refused.
 */
export async function sendRoutedRequest(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const credentialsDecrypted = await credentialsOfRun(ctx);
	requestData.options.returnFullResponse = true;
	const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, requestData.options as IHttpRequestOptions, {
		credentialsDecrypted,
	})) as IN8nHttpFullResponse;
	let items: INodeExecutionData[] = [{ json: response.body as INodeExecutionData['json'] }];
	for (const { actions } of requestData.postReceive) {
		for (const action of actions) {
			if (typeof action !== 'function') {
				throw new ApplicationError('Brevo Conversations: post-receive hooks must be functions (see routing.ts)');
			}
			items = await action.call(ctx, items, response);
		}
	}
	return items;
}
