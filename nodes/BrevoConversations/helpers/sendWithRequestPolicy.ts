import {
	NodeApiError,
	sleep,
	type DeclarativeRestApiSettings,
	type IExecutePaginationFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { OWNER_MUST_FIX } from './brevoErrors';
import { runsAsTool, withItemIndex } from './itemErrors';
import { gateFor } from './requestGate';
import { readRequestPolicy } from './requestPolicy';

function rateLimitResetOf(error: unknown): number | undefined {
	if (!(error instanceof NodeApiError) || error.httpCode !== '429') return undefined;
	const reset = Number(error.context.rateLimitResetSeconds);
	return Number.isFinite(reset) ? reset : undefined;
}

/** Waits in one-second slices so that stopping the execution does not hang on a long wait. */
async function waitSeconds(ctx: IExecutePaginationFunctions, seconds: number): Promise<void> {
	const signal = ctx.getExecutionCancelSignal();
	let remainingMs = Math.ceil(seconds * 1000);
	while (remainingMs > 0 && !signal?.aborted) {
		const slice = Math.min(remainingMs, 1000);
		await sleep(slice);
		remainingMs -= slice;
	}
}

/** Codes Node, undici and axios give a request that failed on its way (socket, DNS, TLS, timeout, abort) */
const TRANSPORT_CODE = /^(E(CONN|HOST|NET|PIPE|TIMEDOUT|SOCKETTIMEDOUT|AI_AGAIN|NOTFOUND|PROTO)|UND_ERR_|ERR_(TLS|SSL|CANCELED|BAD_RESPONSE|FR_)|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

/** The error and its causes, outermost first (n8n wraps the HTTP client's error in a NodeApiError). */
function causeChain(error: unknown): Array<{ name?: unknown; code?: unknown; isAxiosError?: unknown }> {
	const chain = [];
	for (let level = error; level && typeof level === 'object' && chain.length < 10; level = (level as { cause?: unknown }).cause) {
		chain.push(level as { name?: unknown; code?: unknown; isAxiosError?: unknown });
	}
	return chain;
}

/**
 * Whether the request may have reached Brevo: the HTTP client itself failed (connection refused
 * or reset, timeout, DNS, TLS). Everything else raised while sending comes before the request
 * leaves n8n: the credential (or an expression in it), the credential's allowed domains, n8n's
 * SSRF filter (which refuses before it connects).
 */
function failedInTransport(error: unknown): boolean {
	const chain = causeChain(error);
	if (chain.some((level) => typeof level.name === 'string' && level.name.startsWith('SsrfBlocked'))) return false;
	return chain.some((level) => level.isAxiosError === true || (typeof level.code === 'string' && TRANSPORT_CODE.test(level.code)));
}

/**
 * Errors raised while sending keep the raw request (with the API key) in their cause; rebuilding
 * them from message and description keeps it out of what n8n stores with the execution. The text
 * says whether Brevo may have received the request: only a transport failure leaves that open.
 */
function withoutRequestDetails(ctx: IExecutePaginationFunctions, error: unknown): unknown {
	// Brevo's own answer, mapped by throwOnBrevoError: nothing of the request in it.
	if (error instanceof NodeApiError && error.cause === undefined) return error;
	const original = error as { message?: string; description?: string | null; httpCode?: string | null };
	const message = original.message || 'The request to Brevo failed';
	const itemIndex = ctx.getItemIndex();
	const mayHaveReachedBrevo = failedInTransport(error);
	const said = original.description ? `${original.description}. ` : '';
	const safe = new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		description: mayHaveReachedBrevo
			? `${said}The request was not retried automatically: Brevo has no idempotency key, so a retried send could post the message twice. Check the Base URL in the credential and that n8n can reach Brevo.`
			: `${said}Nothing was sent to Brevo.`,
		httpCode: original.httpCode ?? undefined,
		itemIndex,
	});
	if (runsAsTool(ctx)) {
		const reason = safe.message.replace(/ \[item \d+\]$/, '');
		safe.message = mayHaveReachedBrevo
			? `The request to Brevo failed (${reason}) and may or may not have been carried out. Do not call this tool again for it: a repeated send could post the message twice.`
			: `Nothing was sent to Brevo (${reason}). The workflow's owner must fix the node or its Brevo credential; ${OWNER_MUST_FIX}.`;
	} else if (!safe.message.endsWith(']')) {
		// n8n rewrites known network errors (ECONNREFUSED…) into plain words; the item index goes last.
		safe.message = withItemIndex(safe.message, itemIndex);
	}
	return safe;
}

/**
 * Sends one item's request under the node's request policy: at most `maxParallel` requests in
 * flight per node run, and on a 429 either a wait until Brevo's quota resets and a retry, or a fail.
 *
 * Registered as the node's `requestOperations.pagination` function because that is the one place
 * where n8n's declarative engine hands the whole request (with its post-receive hooks) to node
 * code: `RoutingNode.makeRequest` calls it instead of sending the request itself. Nothing is
 * paginated; n8n's own `makeRoutingRequest` sends it, so each item carries the credential n8n
 * resolves for that item (a credential field may be an expression, e.g. one API key per item).
 */
export async function sendWithRequestPolicy(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const policy = readRequestPolicy(this);
	const gate = gateFor(this.getExecuteData(), policy.maxParallel);
	await gate.acquire();
	try {
		let waited = 0;
		for (;;) {
			try {
				return await this.makeRoutingRequest(requestData);
			} catch (error) {
				// Brevo rounds the reset to whole seconds and may say 0 just before the window turns.
				const resetSaid = rateLimitResetOf(error);
				const reset = resetSaid === undefined ? undefined : Math.max(1, resetSaid);
				// A 429 means Brevo did not process the request, so sending it again cannot duplicate it.
				const mayWait =
					reset !== undefined &&
					policy.onRateLimit === 'wait' &&
					waited + reset <= policy.maxWaitSeconds &&
					!this.getExecutionCancelSignal()?.aborted;
				if (!mayWait) {
					if (reset !== undefined && policy.onRateLimit === 'wait') {
						(error as NodeApiError).description =
							`Waited ${waited} s of the ${policy.maxWaitSeconds} s allowed by Options → Max Wait; the next reset was ${reset} s away. ${(error as NodeApiError).description ?? ''}`;
					}
					throw withoutRequestDetails(this, error);
				}
				await waitSeconds(this, reset);
				if (this.getExecutionCancelSignal()?.aborted) {
					// Stopped during the wait: Brevo's 429 stays the item's answer and nothing is sent again.
					// n8n records a run as canceled, not failed, when the error ending it says "canceled".
					const stopped = error as NodeApiError;
					stopped.message = withItemIndex(
						"Execution canceled while waiting for Brevo's rate limit to reset; the request was not sent again",
						this.getItemIndex(),
					);
					throw stopped;
				}
				waited += reset;
			}
		}
	} finally {
		gate.release();
	}
}
