import type { IDataObject } from 'n8n-workflow';
import { eventMessages, isRecord, stringField, type BrevoWebhookEvent } from './webhookEvent';

/**
 * The fields a reply workflow maps, flat: `visitorId` goes straight into the Brevo Conversations
 * node's Visitor ID. Fields Brevo did not send are left out rather than set to null.
 */
export interface SimplifiedEvent extends IDataObject {
	eventName: string;
	conversationId?: string;
	visitorId?: string;
	visitorName?: string;
	visitorEmail?: string;
	/** Text of the newest visitor message in the event */
	messageText?: string;
	messageId?: string;
	agentId?: string;
	agentName?: string;
}

function createdAt(message: IDataObject): number {
	return typeof message.createdAt === 'number' ? message.createdAt : Number.NEGATIVE_INFINITY;
}

/** The newest message of a type; on equal or missing timestamps the later one in the list wins. */
export function newestMessage(messages: IDataObject[], type: 'visitor' | 'agent'): IDataObject | undefined {
	let newest: IDataObject | undefined;
	for (const message of messages) {
		if (message.type !== type) continue;
		if (newest === undefined || createdAt(message) >= createdAt(newest)) newest = message;
	}
	return newest;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/**
 * The visitor's email: Brevo puts what it knows in attribute maps whose key case varies
 * (`EMAIL` in contact attributes, `email` from the chat form or JS API).
 */
export function visitorEmail(visitor: unknown): string | undefined {
	if (!isRecord(visitor)) return undefined;
	for (const group of ['contactAttributes', 'attributes', 'integrationAttributes']) {
		const attributes = visitor[group];
		if (!isRecord(attributes)) continue;
		for (const [key, value] of Object.entries(attributes)) {
			if (key.toLowerCase() === 'email' && typeof value === 'string' && EMAIL_PATTERN.test(value.trim())) {
				return value.trim();
			}
		}
	}
	return undefined;
}

function agentOf(event: BrevoWebhookEvent, messages: IDataObject[]): { id?: string; name?: string } {
	// conversationStarted names one agent; the other events list the agents involved, and the
	// newest agent message says who is answering now.
	if (isRecord(event.agent)) return { id: stringField(event.agent, 'id'), name: stringField(event.agent, 'name') };
	const newestAgentMessage = newestMessage(messages, 'agent');
	const fromMessage = stringField(newestAgentMessage, 'agentId');
	if (fromMessage !== undefined) return { id: fromMessage, name: stringField(newestAgentMessage, 'agentName') };
	const firstAgent = Array.isArray(event.agents) ? event.agents.find(isRecord) : undefined;
	return { id: stringField(firstAgent, 'id'), name: stringField(firstAgent, 'name') };
}

export function simplifyEvent(event: BrevoWebhookEvent): SimplifiedEvent {
	const messages = eventMessages(event);
	const visitorMessage = newestMessage(messages, 'visitor');
	const agent = agentOf(event, messages);
	const simplified: SimplifiedEvent = {
		eventName: event.eventName,
		conversationId: stringField(event, 'conversationId'),
		visitorId: stringField(event.visitor, 'id'),
		visitorName: stringField(event.visitor, 'displayedName'),
		visitorEmail: visitorEmail(event.visitor),
		messageText: visitorMessage && typeof visitorMessage.text === 'string' ? visitorMessage.text : undefined,
		messageId: stringField(visitorMessage, 'id'),
		agentId: agent.id,
		agentName: agent.name,
	};
	for (const key of Object.keys(simplified)) {
		if (simplified[key] === undefined) delete simplified[key];
	}
	return simplified;
}
