import type { IDataObject } from 'n8n-workflow';
import { filesOf, oldestFirst, visitorMessagesOf } from './visitorMessages';
import { eventMessages, isRecord, stringField, withoutUndefined, type BrevoWebhookEvent } from './webhookEvent';

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
	/** Every visitor message of the event, oldest first */
	visitorMessages: VisitorMessageSummary[];
	/** Their texts joined with line breaks, in order: the visitor's whole question */
	visitorText?: string;
	agentId?: string;
	agentName?: string;
	/** The conversation's language, else the visitor's browser's (e.g. `pt`) */
	language?: string;
	/** Where the visitor writes from: widget, facebook, instagram, whatsapp, email… */
	channel?: string;
	/** The page the conversation started on (Conversation Started and Transcript only) */
	startPageUrl?: string;
	startPageTitle?: string;
	/** The conversation in Brevo's inbox: what a "human needed" notification links to */
	conversationUrl?: string;
	/** The Brevo contact the visitor is linked to */
	contactId?: string;
	/** Brevo says no agent was available when the conversation started */
	noAgentOnline?: boolean;
}

export interface VisitorMessageSummary extends IDataObject {
	id?: string;
	text?: string;
	createdAt?: number;
	files?: IDataObject[];
}

/** The newest message of a type; on equal or missing timestamps the later one in the list wins. */
export function newestMessage(messages: IDataObject[], type: 'visitor' | 'agent'): IDataObject | undefined {
	return oldestFirst(messages.filter((message) => message.type === type)).pop();
}

function summaryOf(message: IDataObject): VisitorMessageSummary {
	// The message's own ID is already on the summary: each file keeps what describes the file.
	const files = filesOf(message).map((file) => {
		const described: IDataObject = { ...file };
		delete described.messageId;
		return described;
	});
	return withoutUndefined<VisitorMessageSummary>({
		id: stringField(message, 'id'),
		text: typeof message.text === 'string' ? message.text : undefined,
		createdAt: typeof message.createdAt === 'number' ? message.createdAt : undefined,
		files: files.length > 0 ? files : undefined,
	});
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
	const newestAgent = newestMessage(messages, 'agent');
	const fromMessage = stringField(newestAgent, 'agentId');
	if (fromMessage !== undefined) return { id: fromMessage, name: stringField(newestAgent, 'agentName') };
	const firstAgent = Array.isArray(event.agents) ? event.agents.find(isRecord) : undefined;
	return { id: stringField(firstAgent, 'id'), name: stringField(firstAgent, 'name') };
}

/** The visitor's context a reply needs: language, channel, start page, inbox link, contact. */
function contextOf(event: BrevoWebhookEvent): Partial<SimplifiedEvent> {
	const { visitor } = event;
	return {
		language: stringField(visitor, 'conversationLanguage') ?? stringField(visitor, 'browserLanguage'),
		channel: stringField(visitor, 'source'),
		startPageUrl: stringField(event.conversationStartPage, 'link'),
		startPageTitle: stringField(event.conversationStartPage, 'title'),
		conversationUrl: stringField(visitor, 'threadLink'),
		contactId: stringField(visitor, 'contactId'),
		noAgentOnline: typeof event.isNoAvailableAgent === 'boolean' ? event.isNoAvailableAgent : undefined,
	};
}

export function simplifyEvent(event: BrevoWebhookEvent): SimplifiedEvent {
	const messages = eventMessages(event);
	const visitorMessages = visitorMessagesOf(event).map(summaryOf);
	const newestVisitorMessage = visitorMessages[visitorMessages.length - 1];
	const texts = visitorMessages.map((message) => message.text).filter((text): text is string => text !== undefined && text !== '');
	const agent = agentOf(event, messages);
	return withoutUndefined<SimplifiedEvent>({
		eventName: event.eventName,
		conversationId: stringField(event, 'conversationId'),
		visitorId: stringField(event.visitor, 'id'),
		visitorName: stringField(event.visitor, 'displayedName'),
		visitorEmail: visitorEmail(event.visitor),
		messageText: newestVisitorMessage?.text,
		messageId: newestVisitorMessage?.id,
		visitorMessages,
		visitorText: texts.length > 0 ? texts.join('\n') : undefined,
		agentId: agent.id,
		agentName: agent.name,
		...contextOf(event),
	});
}
