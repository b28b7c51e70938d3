'use strict';
/**
 * A scripted shop assistant for the fake model (server.js `script`), playing what
 * examples/ai-agent-reply.json asks of a real model, so that `npm start` and the AI e2e show a
 * conversation that needs memory, language and handover:
 *
 *   - "… a person / human …" → calls the Hand_over_to_human tool with a short message, then, given
 *     the tool's result, finishes with that same message (what the visitor read), or with an apology
 *     when the tool returned an error;
 *   - "Do you ship to Portugal?" → yes; "How long does shipping take?" → the delay for Portugal only
 *     if an earlier visitor message of the request (memory) named Portugal, else it asks where to;
 *   - anything else → it repeats what it read.
 *
 * It answers in Portuguese when the system message says `Language: pt…`, else in English.
 */
const { contentText } = require('./server');

const HANDOVER_TOOL = 'Hand_over_to_human';
const TEXTS = {
	en: {
		handover: 'I am handing you over to a colleague, who will answer here in this chat.',
		sorry: 'Sorry, I could not reach a colleague; please try again in a moment.',
		ships: 'Yes, we ship to Portugal.',
		delayPortugal: 'Shipping to Portugal takes 3 to 5 working days.',
		whereTo: 'To which country should we ship?',
		read: (text) => `Thanks, I read: "${text}".`,
	},
	pt: {
		handover: 'Vou passar a conversa a um colega, que lhe responde aqui neste chat.',
		sorry: 'Desculpe, não consegui contactar um colega; tente de novo daqui a pouco.',
		ships: 'Sim, enviamos para Portugal.',
		delayPortugal: 'O envio para Portugal demora 3 a 5 dias úteis.',
		whereTo: 'Para que país devemos enviar?',
		read: (text) => `Obrigado, li: "${text}".`,
	},
};

function shopAssistant(body) {
	const messages = Array.isArray(body?.messages) ? body.messages : [];
	const system = contentText(messages.find((m) => m.role === 'system')?.content ?? '');
	const t = /Language: pt/i.test(system) ? TEXTS.pt : TEXTS.en;
	const last = messages[messages.length - 1];
	if (last?.role === 'tool') {
		const call = [...messages].reverse().find((m) => m.role === 'assistant' && m.tool_calls?.length);
		if (/^\s*\[?\s*\{\s*"error"/.test(contentText(last.content))) return { text: t.sorry };
		return { text: JSON.parse(call.tool_calls[0].function.arguments).text };
	}
	const visitorTurns = messages.filter((m) => m.role === 'user').map((m) => contentText(m.content));
	const question = visitorTurns[visitorTurns.length - 1] ?? '';
	if (/\b(person|human|pessoa|humano)\b/i.test(question)) return { tool: HANDOVER_TOOL, arguments: { text: t.handover } };
	if (/portugal/i.test(question)) return { text: t.ships };
	if (/how long|quanto tempo/i.test(question)) {
		return { text: visitorTurns.slice(0, -1).some((turn) => /portugal/i.test(turn)) ? t.delayPortugal : t.whereTo };
	}
	return { text: t.read(question) };
}

module.exports = { shopAssistant, HANDOVER_TOOL, TEXTS };
