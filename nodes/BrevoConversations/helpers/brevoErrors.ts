import {
	NodeApiError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IN8nHttpFullResponse,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import { runsAsTool, withItemIndex } from './itemErrors';
import { messageIdField } from './messageFields';
import type { MappedBrevoError } from './mappedBrevoError';
import { withUnknownVisitor } from './unknownVisitor';

export interface BrevoFailure {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
	/** The `{id}` of the request, to name it in a 404 */
	messageId?: string;
}

const CREDENTIAL_NAME = 'Brevo Conversations API';
/** What an agent can do about a problem only the workflow's owner can fix */
export const OWNER_MUST_FIX = 'calling the tool again will not help';

function header(headers: IDataObject, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return value === undefined || value === null ? undefined : String(value);
}

/** Brevo answers `{code, message}`; proxies and outages answer HTML, text or nothing. */
function readBrevoBody(body: unknown): { code?: string; message?: string } {
	let parsed = body;
	if (typeof body === 'string') {
		const text = body.trim();
		try {
			parsed = JSON.parse(text);
		} catch {
			// Not JSON: a short plain-text reason is still worth showing; HTML pages are not.
			return text && text.length <= 200 && !text.startsWith('<') ? { message: text } : {};
		}
	}
	if (!parsed || typeof parsed !== 'object') return {};
	const { code, message } = parsed as IDataObject;
	return {
		code: typeof code === 'string' ? code : undefined,
		message: typeof message === 'string' && message.trim() ? message.trim() : undefined,
	};
}

export function rateLimitResetSeconds(headers: IDataObject): number | undefined {
	const reset = Number(header(headers, 'x-sib-ratelimit-reset'));
	return Number.isFinite(reset) && reset >= 0 ? reset : undefined;
}

/** Brevo's own words as the message, and what to do about it as the description. */
export function mapBrevoError(failure: BrevoFailure): MappedBrevoError {
	const { statusCode, headers, messageId } = failure;
	const { code, message } = readBrevoBody(failure.body);
	const said = message ?? `Brevo answered HTTP ${statusCode} without an explanation`;
	const codeNote = code ? ` (Brevo error code: ${code})` : '';

	if (statusCode === 401 && /unrecogni[sz]ed ip/i.test(said)) {
		return {
			message: said,
			code,
			forModel: `Brevo refused the request: ${said}. The workflow's owner must allow n8n's IP address in Brevo (Security → Authorised IPs); ${OWNER_MUST_FIX}.`,
			description:
				"Brevo blocks API calls from IP addresses it does not know. Add your n8n server's public IP address in Brevo under Security → Authorised IPs (or deactivate the IP restriction there), then run the node again.",
		};
	}
	if (statusCode === 401) {
		return {
			message: said,
			code,
			forModel: `Brevo refused the workflow's API key (${said}). The workflow's owner must fix its Brevo credential; ${OWNER_MUST_FIX}.`,
			description: `Check the API key in the "${CREDENTIAL_NAME}" credential: create or copy a key in Brevo under Settings → SMTP & API → API Keys. A partner key is only for partner accounts; leave it empty otherwise.${codeNote}`,
		};
	}
	if (statusCode === 403) {
		return {
			message: said,
			code,
			forModel: `Brevo does not allow the workflow's API key to do this (${said}). The workflow's owner must check the Brevo account and credential; ${OWNER_MUST_FIX}.`,
			description: `This API key may not do this. Check that Conversations is enabled on the Brevo account and that the key belongs to it (for partner accounts, that the partner key matches).${codeNote}`,
		};
	}
	if (statusCode === 404) {
		const which = messageId === undefined ? 'nothing at this address' : `no message with ID "${messageId}"`;
		return {
			message: said,
			code,
			forModel:
				messageId === undefined
					? `Brevo found nothing for this request (HTTP 404: ${said}). Check the IDs given to the tool; if they are right, the workflow's owner must check the Base URL of its Brevo credential.`
					: `Brevo has no message with ID "${messageId}" (${said}). Use the "id" that Send returned for a message of this conversation, under the same resource (an automated message's ID under Automated Message); a deleted message is gone.`,
			description: `Brevo found ${which}. Use the "id" returned by Send under the same resource (an automated message's ID under Automated Message); a deleted message is gone. A visitor's message can be read, but only agents' messages can be changed or deleted.${codeNote}`,
		};
	}
	if (statusCode === 429) {
		const reset = rateLimitResetSeconds(headers);
		const limit = header(headers, 'x-sib-ratelimit-limit');
		const quota = limit ? `${limit} requests per window` : 'its request quota';
		const when = reset === undefined ? 'later' : `in ${reset} s`;
		return {
			message: `${said}: Brevo's rate limit is reached; the quota resets ${when}`,
			code,
			forModel: `Brevo's rate limit is reached, so the request was not carried out; the quota resets ${when}. Do not call this tool again before then.`,
			rateLimitResetSeconds: reset,
			description: `Your Brevo plan allows ${quota} for Conversations (about 100 per hour on the standard plan). Set Options → On Rate Limit to "Wait and Retry" with a long enough Max Wait, send fewer items, or upgrade the plan.${codeNote}`,
		};
	}
	if (statusCode >= 500) {
		return {
			message: said,
			code,
			forModel: `Brevo had a problem (HTTP ${statusCode}: ${said}) and may or may not have carried out the request. Do not call this tool again for it: a repeated send could post the message twice.`,
			description: `Brevo had a problem (HTTP ${statusCode}). The request was not retried automatically: Brevo has no idempotency key, so a retried send could post the message twice. Check in Brevo whether it arrived before running the node again.${codeNote}`,
		};
	}
	return {
		message: said,
		code,
		forModel: `Brevo rejected the request (HTTP ${statusCode}: ${said}) and did nothing. Fix the value Brevo names and call the tool again; if you did not fill in that value, the workflow's owner must fix it.`,
		description: `Brevo rejected the request (HTTP ${statusCode}); the message above names the field to fix.${codeNote}`,
	};
}

/** Whether `field` is shown for the node's current resource and operation, as its displayOptions say. */
function showsField(ctx: IExecuteSingleFunctions, field: INodeProperties): boolean {
	const show = field.displayOptions?.show ?? {};
	return Object.entries(show).every(([name, values]) => (values as unknown[] | undefined)?.includes(ctx.getNodeParameter(name, '')));
}

/**
 * Turns a failed HTTP answer into a NodeApiError carrying Brevo's message. Requests are sent with
 * `ignoreHttpStatusErrors` so that this hook, not n8n's generic "Bad request - please check your
 * parameters", decides what the user reads.
 */
export async function throwOnBrevoError(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	if (response.statusCode < 400) return items;
	const operation = this.getNodeParameter('operation', '') as string;
	const messageId = showsField(this, messageIdField) ? String(this.getNodeParameter('messageId', '')).trim() : undefined;
	const mapped = withUnknownVisitor(
		mapBrevoError({ statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body, messageId }),
		response.statusCode,
		operation === 'send',
	);
	const itemIndex = this.getItemIndex();
	const error = new NodeApiError(
		this.getNode(),
		{ code: mapped.code ?? null, message: mapped.message } as JsonObject,
		{
			message: runsAsTool(this) ? mapped.forModel : withItemIndex(mapped.message, itemIndex),
			description: mapped.description,
			httpCode: String(response.statusCode),
			itemIndex,
		},
	);
	if (mapped.rateLimitResetSeconds !== undefined) {
		error.context.rateLimitResetSeconds = mapped.rateLimitResetSeconds;
	}
	throw error;
}
