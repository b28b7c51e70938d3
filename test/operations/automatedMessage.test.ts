import { API_KEY, sortedBy, useFakeBrevo } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

const brevo = useFakeBrevo();

const orders = [
	{ visitorId: 'v-1', orderId: 'A-1', status: 'shipped' },
	{ visitorId: 'v-2', orderId: 'A-2', status: 'delivered' },
	{ visitorId: 'v-3', orderId: 'A-3', status: 'delayed' },
];
const text = '=Your order {{ $json.orderId }} is {{ $json.status }}';

describe('Automated Message → Send', () => {
	test.each([
		['random', {}, {}],
		['agent', { agentId: '={{ "agent-" + $json.orderId }}' }, (o: (typeof orders)[0]) => ({ agentId: `agent-${o.orderId}` })],
		['group', { groupId: 'group-7' }, () => ({ groupId: 'group-7' })],
	] as const)('sender %s: POST /conversations/pushedMessages with only the fields that apply', async (sender, extra, expected) => {
		const { output, error } = await runNode({
			parameters: { resource: 'automatedMessage', operation: 'send', visitorId: '={{ $json.visitorId }}', text, sender, ...extra },
			input: orders,
			credentials: brevo.credentials,
		});
		expect(error).toBeUndefined();
		const requests = sortedBy(brevo.fake.requests, (r) => r.body.visitorId);
		expect(requests.map((r) => [r.method, r.path, r.headers['api-key']])).toEqual(orders.map(() => ['POST', '/v3/conversations/pushedMessages', API_KEY]));
		expect(requests.map((r) => r.body)).toEqual(
			orders.map((o) => ({ visitorId: o.visitorId, text: `Your order ${o.orderId} is ${o.status}`, ...(typeof expected === 'function' ? expected(o) : expected) })),
		);
		expect(output.map((o) => [o.json.isPushed, o.json.visitorId, o.pairedItem])).toEqual(orders.map((o, i) => [true, o.visitorId, { item: i }]));
	});
});

describe('Automated Message → Get, Update, Delete', () => {
	test('round trip on /conversations/pushedMessages, and an agent message ID is not found there', async () => {
		const sent = await runNode({
			parameters: { resource: 'automatedMessage', operation: 'send', visitorId: '={{ $json.visitorId }}', text },
			input: orders,
			credentials: brevo.credentials,
		});
		const ids = sent.output.map((o) => ({ id: o.json.id as string }));
		brevo.fake.clearRequests();

		const got = await runNode({ parameters: { resource: 'automatedMessage', operation: 'get', messageId: '={{ $json.id }}' }, input: ids, credentials: brevo.credentials });
		expect(got.output.map((o) => [o.json.id, o.json.isPushed, o.pairedItem])).toEqual(ids.map((i, n) => [i.id, true, { item: n }]));
		expect(brevo.fake.requests.every((r) => r.method === 'GET' && ids.some((i) => r.path === `/v3/conversations/pushedMessages/${i.id}`))).toBe(true);

		brevo.fake.clearRequests();
		const updated = await runNode({
			parameters: { resource: 'automatedMessage', operation: 'update', messageId: '={{ $json.id }}', text: '=Update for {{ $json.id }}' },
			input: ids,
			credentials: brevo.credentials,
		});
		expect(updated.output.map((o) => o.json.text)).toEqual(ids.map((i) => `Update for ${i.id}`));
		expect(sortedBy(brevo.fake.requests, (r) => r.path).map((r) => [r.method, r.path, r.body])).toEqual(
			sortedBy(ids, (i) => i.id).map((i) => ['PUT', `/v3/conversations/pushedMessages/${i.id}`, { text: `Update for ${i.id}` }]),
		);

		brevo.fake.clearRequests();
		const deleted = await runNode({ parameters: { resource: 'automatedMessage', operation: 'delete', messageId: '={{ $json.id }}' }, input: ids, credentials: brevo.credentials });
		expect(deleted.output.map((o) => o.json)).toEqual([{ deleted: true }, { deleted: true }, { deleted: true }]);
		expect(brevo.fake.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE', 'DELETE']);

		const gone = await runNode({ parameters: { resource: 'automatedMessage', operation: 'get', messageId: ids[1].id }, input: [{}], credentials: brevo.credentials });
		expect(gone.error?.message).toBe('Message not found [item 0]');
	});
});
