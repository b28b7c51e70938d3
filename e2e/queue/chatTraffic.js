'use strict';
/**
 * Chat traffic for a Brevo Conversations Trigger: one `conversationStarted` webhook per visitor
 * (Brevo's documented body, test/fake-brevo/brevoEvents.js, with the visitor's own IDs), posted with
 * several in flight, and the replies the fake Brevo stored, per visitor. Shared by the queue-mode
 * test and the bench.
 */
const events = require('../../test/fake-brevo/brevoEvents');

/** The event as in the visitor's own conversation (`conv-<visitorId>`). */
function ofVisitor(body, visitorId) {
	body.conversationId = `conv-${visitorId}`;
	body.visitor.id = visitorId;
	body.visitor.displayedName = visitorId;
	return body;
}

function chatEvent(visitorId) {
	return ofVisitor(events.conversationStarted(events.visitorMessage(`msg-${visitorId}`, `Hello, this is ${visitorId}`, Date.now())), visitorId);
}

/**
 * The workflow's reply as Brevo posts it back: a fragment with the agent message the Send node
 * wrote, labelled `receivedFrom` (the trigger's Ignore Received From), in the visitor's conversation.
 */
function replyEchoEvent(visitorId, receivedFrom) {
	return ofVisitor(events.conversationFragment([events.agentMessage(`reply-${visitorId}`, `Hi ${visitorId}!`, Date.now(), { receivedFrom })]), visitorId);
}

/**
 * Posts one event per visitor to `url`, `concurrency` at a time (`body` may give several, posted
 * one after the other); resolves the HTTP statuses in visitor order (the worst of a visitor's).
 * Each request is bounded (`timeoutMs`).
 */
async function postEvents(url, visitorIds, { concurrency = 8, timeoutMs = 30000, body = chatEvent, headers = {} } = {}) {
	const statuses = new Array(visitorIds.length);
	let next = 0;
	const lane = async () => {
		while (next < visitorIds.length) {
			const i = next++;
			for (const one of [body(visitorIds[i])].flat()) {
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...headers },
					body: JSON.stringify(one),
					signal: AbortSignal.timeout(timeoutMs),
				});
				await response.arrayBuffer();
				statuses[i] = Math.max(statuses[i] ?? 0, response.status);
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, visitorIds.length) }, lane));
	return statuses;
}

/** visitorId → number of messages the fake Brevo stored for that visitor. */
function repliesByVisitor(fake) {
	const counts = new Map();
	for (const message of fake.messages.values()) counts.set(message.visitorId, (counts.get(message.visitorId) ?? 0) + 1);
	return counts;
}

const visitors = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

module.exports = { chatEvent, replyEchoEvent, postEvents, repliesByVisitor, visitors };
