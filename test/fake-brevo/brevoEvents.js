'use strict';
/**
 * Webhook bodies shaped like Brevo's documented examples (developers.brevo.com, "Conversations
 * webhooks"), for the trigger's jest tests and the live e2e test alike (plain JS: the e2e suite
 * runs without a TypeScript build). Builders return fresh objects so a test can alter one without
 * touching the others.
 */
const VISITOR_ID = 'kZMvWhf8npAu3H6qd57w2Hv6nh6rnxvg';
const CONVERSATION_ID = 'MxhGJAEugdLtS2BBq';
const BOT_LABEL = 'n8n-support-bot';
const AGENTS = () => [{ id: 'bnRzp4CioKudG4aHm', name: 'Julia', email: 'julia@example.com' }];
const START_PAGE = () => ({ link: 'https://shop.example.com/orders', title: 'My orders' });

function visitor() {
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

function visitorMessage(id = 'dkmyYPxJyh5rKDhRT', text = 'Hi, where is my order?', createdAt = 1665578322700) {
	return { id, type: 'visitor', text, html: text, createdAt, isPushed: false, isTrigger: false, isMissed: false };
}

function agentMessage(id, text, createdAt, extra = {}) {
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

/** An automated message (POST /conversations/pushedMessages): an agent's, isPushed, never a receivedFrom. */
function automatedMessage(id, text, createdAt) {
	return agentMessage(id, text, createdAt, { isPushed: true });
}

/** A message of Brevo's own chat bot. */
function botMessage(id, text, createdAt) {
	return agentMessage(id, text, createdAt, { isBot: true, agentId: undefined, agentName: 'Chat bot' });
}

/**
 * A visitor's message with files: newer payloads list them in `attachments[]` (name, link,
 * mimeType); `{ legacy: true }` gives the older single `file` (filename, url, size, isImage).
 */
function visitorFileMessage(id, createdAt, files, { text = '', legacy = false } = {}) {
	const message = visitorMessage(id, text, createdAt);
	if (legacy) {
		const [file] = files;
		message.file = { filename: file.name, url: file.link, size: file.size, isImage: /^image\//.test(file.mimeType ?? '') };
	} else {
		message.attachments = files.map(({ name, link, mimeType, size }) => ({ name, link, mimeType, size }));
	}
	return message;
}

function conversationStarted(message = visitorMessage()) {
	return {
		eventName: 'conversationStarted',
		conversationId: CONVERSATION_ID,
		conversationStartPage: START_PAGE(),
		message,
		visitor: visitor(),
		isNoAvailableAgent: false,
	};
}

function conversationFragment(messages) {
	return { eventName: 'conversationFragment', conversationId: CONVERSATION_ID, messages, agents: AGENTS(), visitor: visitor() };
}

function conversationTranscript(messages = [visitorMessage()]) {
	return {
		eventName: 'conversationTranscript',
		conversationId: CONVERSATION_ID,
		messages,
		agents: AGENTS(),
		visitor: visitor(),
		missedMessagesCount: 0,
		conversationStartPage: START_PAGE(),
	};
}

module.exports = {
	VISITOR_ID,
	CONVERSATION_ID,
	BOT_LABEL,
	visitor,
	visitorMessage,
	agentMessage,
	automatedMessage,
	botMessage,
	visitorFileMessage,
	conversationStarted,
	conversationFragment,
	conversationTranscript,
};
