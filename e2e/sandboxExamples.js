'use strict';
/**
 * What `npm start` (e2e/start.js) and `npm run chat` (e2e/chat.js) agree on: the n8n home and port of
 * the sandbox, the file holding the triggers' token, and the trigger examples with their sample events
 * (examples/events/<example>.json, a Brevo webhook body each).
 */
const fs = require('node:fs');
const path = require('node:path');
const { CACHE, ROOT } = require('./runtime');

const HOME = process.env.START_HOME ? path.resolve(process.env.START_HOME) : path.join(CACHE, 'n8n-home');
const PORT = Number(process.env.N8N_PORT || 5678);
const WEBHOOK_TOKEN_FILE = path.join(HOME, 'webhook-token');
const EXAMPLES = path.join(ROOT, 'examples');
const EVENTS = path.join(EXAMPLES, 'events'); // one sample Brevo event per trigger example, same file name
const TRIGGER_TYPE = 'n8n-nodes-brevo-conversations.brevoConversationsTrigger';

/** The examples whose workflow starts with this package's trigger: { file, id, name, webhookId, event }. */
function triggerExamples() {
	return fs
		.readdirSync(EXAMPLES)
		.filter((f) => f.endsWith('.json'))
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) }))
		.map(({ file, workflow }) => ({ file, workflow, trigger: workflow.nodes.find((n) => n.type === TRIGGER_TYPE) }))
		.filter(({ trigger }) => trigger)
		.map(({ file, workflow, trigger }) => ({ file, id: workflow.id, name: workflow.name, webhookId: trigger.webhookId, event: path.join(EVENTS, file) }));
}

/** The URL Brevo would post to: production (published workflow) or test (Execute workflow in the editor). */
function webhookUrl(baseUrl, example, { test = false, token } = {}) {
	return `${baseUrl}/${test ? 'webhook-test' : 'webhook'}/${example.webhookId}/webhook${token === undefined ? '' : `?token=${token}`}`;
}

module.exports = { HOME, PORT, WEBHOOK_TOKEN_FILE, EXAMPLES, EVENTS, TRIGGER_TYPE, triggerExamples, webhookUrl };
