/**
 * The shop's page and the workflow must derive the same chat visitor ID from a customer ID (issue
 * 19). The shop side is PHP's hash_hmac or Shopify's hmac_sha256 filter (docs/order-updates.md snippets); the
 * n8n side is n8n's Crypto node v2, whose Hmac action runs Node's
 * `createHmac(type, hmacSecret).update(value).digest(encoding)` (n8n-nodes-base CryptoV2, 2.8 and
 * 2.41) with the parameters each example sets. The published outputs of PHP and Shopify and the
 * guide's own test vector must come out of that computation; the e2e suite runs the real node.
 * Both sides keep the first 32 hex characters (issue 27): Brevo's own visitor IDs are 32 characters
 * long, its documentation sets no form for one you generate, and 128 bits cannot be guessed either.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
}

const ROOT = join(__dirname, '..', '..');
const GUIDE = readFileSync(join(ROOT, 'docs', 'order-updates.md'), 'utf8');
const ORDER_EXAMPLES = ['woocommerce-order-chat-message.json', 'shopify-order-chat-message.json', 'order-status-automated-message.json'];
const nodesOf = (file: string) => (JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8')) as { nodes: ExampleNode[] }).nodes;

const VISITOR_ID_LENGTH = 32;

/** What the Crypto node's Hmac action computes with an example's parameters and a credential's secret. */
function cryptoNodeHmac(parameters: Record<string, unknown>, hmacSecret: string, value: string): string {
	return createHmac(String(parameters.type), hmacSecret)
		.update(value)
		.digest(parameters.encoding as 'hex');
}

const section = GUIDE;

describe.each(ORDER_EXAMPLES)('%s', (file) => {
	const nodes = nodesOf(file);
	const crypto = nodes.find((n) => n.type === 'n8n-nodes-base.crypto') as ExampleNode;
	const send = nodes.find((n) => n.type === 'n8n-nodes-brevo-conversations.brevoConversations') as ExampleNode;

	test('the Crypto node: HMAC-SHA256 of the customer ID, hex, into visitorId; its secret in a credential', () => {
		expect(crypto.typeVersion).toBe(2);
		expect(crypto.parameters).toEqual({ action: 'hmac', type: 'SHA256', value: '={{ $json.customerId }}', dataPropertyName: 'visitorId', encoding: 'hex' });
		expect(Object.keys(crypto.credentials ?? {})).toEqual(['crypto']);
		expect(JSON.stringify(nodes)).not.toMatch(/hmacSecret|"secret"/);
	});

	test("the guide's test vector comes out of it: the HMAC's first 32 hex characters", () => {
		const vector = /secret `([^`]+)`, customer\s+ID `([^`]+)` → visitor ID `([0-9a-f]+)`/.exec(section);
		expect(vector).not.toBeNull();
		const [, secret, customerId, visitorId] = vector as RegExpExecArray;
		expect(visitorId).toMatch(/^[0-9a-f]{32}$/);
		expect(cryptoNodeHmac(crypto.parameters, secret, customerId).slice(0, VISITOR_ID_LENGTH)).toBe(visitorId);
		expect(visitorId).toBe('aea73aad42abc3fa12524bd42baef62b');
	});

	test('the chat message goes to that visitor ID (its first 32 characters), never to a plain customer ID or email', () => {
		expect(send.parameters.visitorId).toBe(`={{ $json.visitorId.slice(0, ${VISITOR_ID_LENGTH}) }}`);
		expect(nodes.filter((n) => n.type.endsWith('.crypto')).map((n) => n.name)).toEqual([crypto.name]);
	});
});

describe('the shop side gives the same value', () => {
	const hmacParameters = nodesOf(ORDER_EXAMPLES[0]).find((n) => n.type === 'n8n-nodes-base.crypto')?.parameters ?? {};

	test("PHP's hash_hmac('sha256', …): the PHP manual's own example output", () => {
		// https://www.php.net/manual/en/function.hash-hmac.php, Example #1
		expect(cryptoNodeHmac(hmacParameters, 'secret', 'The quick brown fox jumped over the lazy dog.')).toBe(
			'9c5c42422b03f0ee32949920649445e417b2c634050833c5165704b825c2a53b',
		);
		expect(section).toContain("substr(hash_hmac('sha256', (string) get_current_user_id(), BREVO_VISITOR_SECRET), 0, 32)");
	});

	test("Shopify Liquid's hmac_sha256 filter: Shopify's documented example output", () => {
		// https://shopify.dev/docs/api/liquid/filters/hmac_sha256
		expect(cryptoNodeHmac(hmacParameters, 'Polina', 'Polyjuice')).toBe('8e0d5d65cff1242a4af66c8f4a32854fd5fb80edcc8aabe9b302b29c7c71dc20');
		expect(section).toContain("customer.id | append: '' | hmac_sha256: settings.brevo_visitor_secret | slice: 0, 32");
	});

	test("the widget setting is named as Brevo's JavaScript API names it", () => {
		expect(section).toContain('window.BrevoConversationsSetup = { visitorId:');
		expect(section).toContain('https://developers.brevo.com/docs/customize-the-widget#identifying-existing-users');
	});
});
