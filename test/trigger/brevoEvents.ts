/**
 * Webhook bodies shaped like Brevo's documented examples (developers.brevo.com, "Conversations
 * webhooks"). Builders return fresh objects so a test can alter one without touching the others.
 */
export const VISITOR_ID = 'kZMvWhf8npAu3H6qd57w2Hv6nh6rnxvg';
export const CONVERSATION_ID = 'MxhGJAEugdLtS2BBq';
export const BOT_LABEL = 'n8n-support-bot';

export function visitor() {
	return {
		id: VISITOR_ID,
		threadId: 'T5J3Wd2nc7hB4qkHX',
		source: 'widget',
		displayedName: 'Cyan Fox',
		country: 'GB',
		browserLanguage: 'en-GB',
		contactAttributes: { EMAIL: 'cyan.fox@example.com', FIRSTNAME: 'Cyan' },
		integrationAttributes: {},
	};
}

export function visitorMessage(id: string, text: string, createdAt: number) {
	return { id, type: 'visitor', text, html: text, createdAt, isPushed: false, isTrigger: false, isMissed: false };
}

export function agentMessage(id: string, text: string, createdAt: number, extra: Record<string, unknown> = {}) {
	return {
		id,
		type: 'agent',
		text,
		html: text,
		createdAt,
		agentId: 'bnRzp4CioKudG4aHm',
		agentName: 'Julia',
		isPushed: false,
		isTrigger: false,
		isMissed: false,
		...extra,
	};
}

export function conversationStarted(message: Record<string, unknown> = visitorMessage('dkmyYPxJyh5rKDhRT', 'Hi, where is my order?', 1665578322700)) {
	return {
		eventName: 'conversationStarted',
		conversationId: CONVERSATION_ID,
		conversationStartPage: { link: 'https://shop.example.com/orders', title: 'My orders' },
		message,
		visitor: visitor(),
		isNoAvailableAgent: false,
	};
}

export function conversationFragment(messages: Record<string, unknown>[]) {
	return {
		eventName: 'conversationFragment',
		conversationId: CONVERSATION_ID,
		messages,
		agents: [{ id: 'bnRzp4CioKudG4aHm', name: 'Julia', email: 'julia@example.com' }],
		visitor: visitor(),
	};
}

export function conversationTranscript(messages: Record<string, unknown>[]) {
	return {
		eventName: 'conversationTranscript',
		conversationId: CONVERSATION_ID,
		messages,
		agents: [{ id: 'bnRzp4CioKudG4aHm', name: 'Julia', email: 'julia@example.com' }],
		visitor: visitor(),
		missedMessagesCount: 0,
		conversationStartPage: { link: 'https://shop.example.com/orders', title: 'My orders' },
	};
}
