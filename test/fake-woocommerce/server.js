'use strict';
/**
 * A stand-in for a WooCommerce shop's REST API (v3), as much as n8n's WooCommerce Trigger uses, and
 * the shop's webhook deliveries, on 127.0.0.1:
 *
 *   GET    /wp-json/wc/v3/webhooks          the shop's webhooks (n8n's checkExists: status=active)
 *   POST   /wp-json/wc/v3/webhooks          a new webhook {delivery_url, topic, secret}: stored, then
 *                                           pinged as WooCommerce does (a form body `webhook_id=<id>`,
 *                                           no X-WC-Webhook-* headers) before the answer
 *   DELETE /wp-json/wc/v3/webhooks/<id>     removes it (n8n's delete, ?force=true)
 *
 * Requests are authenticated like WooCommerce over HTTPS: HTTP Basic with the consumer key and
 * secret, or `consumer_key`/`consumer_secret` in the query (the credential's "Include Credentials in
 * Query"). `deliver(webhook, order)` posts an order to a webhook's delivery URL with the headers
 * WooCommerce's WC_Webhook::deliver() sends, signed with the webhook's secret; `redeliver(delivery)`
 * sends one again byte for byte, same Delivery-ID, as a re-sent delivery is.
 */
const { createHmac } = require('node:crypto');
const http = require('node:http');
const { closeServer, listenLocally } = require('../localServer');

const API = '/wp-json/wc/v3';

class FakeWooCommerce {
	/** @param {{consumerKey: string, consumerSecret: string}} keys the REST API key pair n8n's credential holds */
	constructor({ consumerKey, consumerSecret }) {
		this.keys = { consumerKey, consumerSecret };
		/** id → webhook as WooCommerce's REST API shows it (plus its secret, which WooCommerce keeps too) */
		this.webhooks = new Map();
		this.nextWebhookId = 1;
		this.nextDeliveryId = 1;
		/** Every call n8n made to the API: {method, path, query, body} */
		this.calls = [];
		/** The pings sent on creating a webhook: {webhookId, status} (status 0: no answer) */
		this.pings = [];
		/** Every delivery sent: {deliveryId, webhookId, status, answer} */
		this.deliveries = [];
		this.server = http.createServer((req, res) => this.handle(req, res));
	}

	/** Starts on 127.0.0.1; resolves the shop's URL (the credential's "WooCommerce URL"). */
	async start() {
		await listenLocally(this.server);
		return this.url;
	}

	get url() {
		return `http://127.0.0.1:${this.server.address().port}`;
	}

	stop() {
		return closeServer(this.server);
	}

	authorised(req, query) {
		const { consumerKey, consumerSecret } = this.keys;
		if (query.get('consumer_key') === consumerKey && query.get('consumer_secret') === consumerSecret) return true;
		const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
		return scheme === 'Basic' && Buffer.from(encoded ?? '', 'base64').toString('utf8') === `${consumerKey}:${consumerSecret}`;
	}

	handle(req, res) {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			const url = new URL(req.url, this.url);
			const raw = Buffer.concat(chunks).toString('utf8');
			const body = raw ? JSON.parse(raw) : undefined;
			this.calls.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), body });
			const send = (status, payload) => {
				res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
				res.end(JSON.stringify(payload));
			};
			if (!this.authorised(req, url.searchParams)) {
				return send(401, { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
			}
			const [, id] = /^\/wp-json\/wc\/v3\/webhooks(?:\/(\d+))?$/.exec(url.pathname) ?? [];
			if (!url.pathname.startsWith(`${API}/webhooks`)) return send(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
			if (req.method === 'GET' && !id) {
				const status = url.searchParams.get('status');
				return send(200, [...this.webhooks.values()].filter((w) => !status || status === 'all' || w.status === status).map(publicView));
			}
			if (req.method === 'POST' && !id) return send(201, publicView(await this.createWebhook(body)));
			const webhook = this.webhooks.get(Number(id));
			if (!webhook) return send(404, { code: 'woocommerce_rest_webhook_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
			if (req.method === 'DELETE') {
				this.webhooks.delete(webhook.id);
				return send(200, publicView(webhook));
			}
			return send(405, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 405 } });
		});
	}

	async createWebhook({ delivery_url, topic, secret, name }) {
		const [resource, event] = topic.split('.');
		const webhook = {
			id: this.nextWebhookId++,
			name: name ?? `Webhook created on ${new Date().toUTCString()}`,
			status: 'active',
			topic,
			resource,
			event,
			hooks: [`woocommerce_${resource}_${event}`],
			delivery_url,
			secret,
			date_created: new Date().toISOString().slice(0, 19),
		};
		this.webhooks.set(webhook.id, webhook);
		// WooCommerce pings a new webhook's URL right away, without the X-WC-Webhook-* headers.
		const ping = await post(delivery_url, `webhook_id=${webhook.id}`, { 'content-type': 'application/x-www-form-urlencoded' });
		this.pings.push({ webhookId: webhook.id, status: ping.status });
		return webhook;
	}

	/** The headers WooCommerce sends with a delivery (WC_Webhook::deliver), signed over the raw body. */
	headersFor(webhook, rawBody, deliveryId, signature) {
		return {
			'content-type': 'application/json',
			'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
			'x-wc-webhook-source': `${this.url}/`,
			'x-wc-webhook-topic': webhook.topic,
			'x-wc-webhook-resource': webhook.resource,
			'x-wc-webhook-event': webhook.event,
			'x-wc-webhook-signature': signature ?? createHmac('sha256', webhook.secret).update(rawBody).digest('base64'),
			'x-wc-webhook-id': String(webhook.id),
			'x-wc-webhook-delivery-id': String(deliveryId),
		};
	}

	/**
	 * Delivers `order` to the webhook (the only one unless named): a new Delivery-ID, or a forged
	 * `signature`. Resolves {deliveryId, status, answer}.
	 */
	async deliver(order, { webhookId, signature } = {}) {
		const webhook = webhookId === undefined ? [...this.webhooks.values()][0] : this.webhooks.get(webhookId);
		if (!webhook) throw new Error('the fake shop has no webhook to deliver to');
		const rawBody = JSON.stringify(order);
		const deliveryId = this.nextDeliveryId++;
		const sent = { deliveryId, webhookId: webhook.id, url: webhook.delivery_url, rawBody, headers: this.headersFor(webhook, rawBody, deliveryId, signature) };
		return this.send(sent);
	}

	/** Sends a delivery again as it was (same body, headers and Delivery-ID). */
	redeliver(deliveryId) {
		const sent = this.deliveries.find((d) => d.deliveryId === deliveryId);
		if (!sent) throw new Error(`no delivery ${deliveryId} to send again`);
		return this.send(sent);
	}

	async send(sent) {
		const { status, answer } = await post(sent.url, sent.rawBody, sent.headers);
		this.deliveries.push({ ...sent, status, answer });
		return { deliveryId: sent.deliveryId, status, answer };
	}
}

/** What the REST API shows of a webhook: everything but its secret. */
function publicView(webhook) {
	const shown = { ...webhook };
	delete shown.secret;
	return shown;
}

/** POSTs a body; resolves {status, answer} (status 0 when nobody answered). */
async function post(url, body, headers) {
	try {
		const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(30000) });
		return { status: response.status, answer: await response.text() };
	} catch (error) {
		return { status: 0, answer: String(error.message) };
	}
}

module.exports = { FakeWooCommerce };
