import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { readAgentIdentity } from './agentIdentity';
import { toPathSegment } from './fieldValues';
import { toInputError } from './itemErrors';
import { readRequiredId, readText } from './readParameters';

/**
 * The preSend hooks: one per operation, each validating the item's fields and building the whole
 * request, so that a bad item fails with a named field before anything reaches Brevo.
 * Only fields that are set are sent; Brevo treats `""` as a value.
 */

function readVisitorAndText(ctx: IExecuteSingleFunctions): IDataObject {
	return {
		visitorId: readRequiredId(ctx, 'visitorId', 'Visitor ID'),
		text: readText(ctx, 'text', 'Text', { required: true, trim: false }),
	};
}

function withBody(requestOptions: IHttpRequestOptions, body: IDataObject): IHttpRequestOptions {
	requestOptions.body = body;
	return requestOptions;
}

export async function buildMessageSend(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	return withBody(requestOptions, { ...readVisitorAndText(this), ...readAgentIdentity(this) });
}

/** Brevo picks the sender: a given agent, a random agent of a group, or any agent. */
export async function buildAutomatedMessageSend(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = readVisitorAndText(this);
	const sender = this.getNodeParameter('sender', 'random');
	if (sender === 'agent') body.agentId = readRequiredId(this, 'agentId', 'Agent ID');
	if (sender === 'group') body.groupId = readRequiredId(this, 'groupId', 'Group ID');
	return withBody(requestOptions, body);
}

export async function buildAgentOnlinePing(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	return withBody(requestOptions, readAgentIdentity(this));
}

/** The operation's path is the collection; the ID is appended as one encoded segment. */
export async function addMessageIdToPath(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const messageId = readRequiredId(this, 'messageId', 'Message ID');
	try {
		requestOptions.url = `${requestOptions.url}/${toPathSegment(messageId, 'Message ID')}`;
	} catch (error) {
		throw toInputError(this, error);
	}
	return requestOptions;
}

export async function buildMessageUpdate(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	await addMessageIdToPath.call(this, requestOptions);
	return withBody(requestOptions, { text: readText(this, 'text', 'Text', { required: true, trim: false }) });
}
