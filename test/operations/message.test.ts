import { API_KEY, sortedBy, useFakeBrevo } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

const brevo = useFakeBrevo();

const visitors = [{ visitorId: 'visitor-a', order: 1001 }, { visitorId: 'visitor-b', order: 1002 }, { visitorId: 'visitor-c', order: 1003 }];

describe('Message → Send', () => {
	test('as an agent by ID: one POST per item with per-item expressions, Brevo message objects out', async () => {
		const { output, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				visitorId: '={{ $json.visitorId }}',
				text: '=Order {{ $json.order }} has shipped',
				identifyAgentBy: 'id',
				agentId: 'agent-42',
			},
			input: visitors,
			credentials: brevo.credentials,
		});
		expect(error).toBeUndefined();
		const requests = sortedBy(brevo.fake.requests, (r) => r.body.visitorId);
		expect(requests).toHaveLength(3);
		requests.forEach((request, i) => {
			expect(request.method).toBe('POST');
			expect(request.path).toBe('/v3/conversations/messages');
			expect(request.headers['api-key']).toBe(API_KEY);
			expect(request.headers['partner-key']).toBeUndefined();
			expect(request.headers['content-type']).toMatch(/^application\/json/);
			expect(request.body).toEqual({ visitorId: visitors[i].visitorId, text: `Order ${visitors[i].order} has shipped`, agentId: 'agent-42' });
		});
		expect(output).toHaveLength(3);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ type: 'agent', visitorId: visitors[i].visitorId, agentId: 'agent-42', isPushed: false, text: `Order ${visitors[i].order} has shipped` });
			expect(typeof item.json.id).toBe('string');
			expect(brevo.fake.messages.get(item.json.id as string)).toBeDefined();
		});
	});

	test('as an agent by email: email, name and received-from are sent, and receivedFrom is optional with an ID', async () => {
		const { output, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				visitorId: '={{ $json.visitorId }}',
				text: 'Hello',
				identifyAgentBy: 'email',
				agentEmail: 'bot@example.com',
				agentName: '=Bot {{ $itemIndex }}',
				receivedFrom: 'n8n-bot',
			},
			input: visitors,
			credentials: brevo.credentials,
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		const bodies = sortedBy(brevo.fake.requests, (r) => r.body.visitorId).map((r) => r.body);
		expect(bodies).toEqual(
			visitors.map((v, i) => ({ visitorId: v.visitorId, text: 'Hello', agentEmail: 'bot@example.com', agentName: `Bot ${i}`, receivedFrom: 'n8n-bot' })),
		);
	});

	test('with an agent ID, receivedFrom is sent only when set', async () => {
		await runNode({
			parameters: { resource: 'message', operation: 'send', visitorId: '={{ $json.visitorId }}', text: 'Hi', agentId: 'agent-1', receivedFrom: '={{ $itemIndex === 1 ? "n8n" : "" }}' },
			input: visitors,
			credentials: brevo.credentials,
		});
		const bodies = sortedBy(brevo.fake.requests, (r) => r.body.visitorId).map((r) => r.body);
		expect(bodies[0]).toEqual({ visitorId: 'visitor-a', text: 'Hi', agentId: 'agent-1' });
		expect(bodies[1]).toEqual({ visitorId: 'visitor-b', text: 'Hi', agentId: 'agent-1', receivedFrom: 'n8n' });
		expect(Object.values(bodies[2])).not.toContain('');
	});
});

describe('Message → Get, Update, Delete', () => {
	async function sendThree() {
		const { output } = await runNode({
			parameters: { resource: 'message', operation: 'send', visitorId: '={{ $json.visitorId }}', text: 'first', agentId: 'agent-1' },
			input: visitors,
			credentials: brevo.credentials,
		});
		brevo.fake.clearRequests();
		return output.map((o) => ({ id: o.json.id as string }));
	}

	test('round trip for 3 items: send → get → update → delete → get answers 404', async () => {
		const ids = await sendThree();

		const got = await runNode({ parameters: { resource: 'message', operation: 'get', messageId: '={{ $json.id }}' }, input: ids, credentials: brevo.credentials });
		expect(got.error).toBeUndefined();
		expect(got.output.map((o) => o.json.id)).toEqual(ids.map((i) => i.id));
		expect(got.output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(sortedBy(brevo.fake.requests, (r) => r.path).map((r) => [r.method, r.path, r.rawBody])).toEqual(
			sortedBy(ids, (i) => `/v3/conversations/messages/${i.id}`).map((i) => ['GET', `/v3/conversations/messages/${i.id}`, '']),
		);

		brevo.fake.clearRequests();
		const updated = await runNode({
			parameters: { resource: 'message', operation: 'update', messageId: '={{ $json.id }}', text: '=edited {{ $itemIndex }}' },
			input: ids,
			credentials: brevo.credentials,
		});
		expect(updated.error).toBeUndefined();
		expect(updated.output.map((o) => o.json.text)).toEqual(['edited 0', 'edited 1', 'edited 2']);
		for (const request of brevo.fake.requests) {
			expect(request.method).toBe('PUT');
			const index = ids.findIndex((i) => request.path === `/v3/conversations/messages/${i.id}`);
			expect(request.body).toEqual({ text: `edited ${index}` });
		}
		expect(ids.map((i) => brevo.fake.messages.get(i.id)?.text)).toEqual(['edited 0', 'edited 1', 'edited 2']);

		brevo.fake.clearRequests();
		const deleted = await runNode({ parameters: { resource: 'message', operation: 'delete', messageId: '={{ $json.id }}' }, input: ids, credentials: brevo.credentials });
		expect(deleted.error).toBeUndefined();
		expect(deleted.output).toEqual([0, 1, 2].map((i) => ({ json: { deleted: true }, pairedItem: { item: i } })));
		expect(brevo.fake.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE', 'DELETE']);
		expect(ids.every((i) => !brevo.fake.messages.has(i.id))).toBe(true);

		const gone = await runNode({ parameters: { resource: 'message', operation: 'get', messageId: '={{ $json.id }}' }, input: ids.slice(0, 1), credentials: brevo.credentials });
		expect(gone.error?.message).toBe('Message not found [item 0]');
		expect(gone.error?.description).toContain(`no message with ID "${ids[0].id}"`);
		expect((gone.error as { httpCode?: string }).httpCode).toBe('404');
	});

	test("a visitor's message can be read: Get returns it as Brevo's \"Get a message\" does, type visitor", async () => {
		const visitorMessageId = brevo.fake.seedVisitorMessage('visitor-get', 'Where is my parcel?');
		const { output, error } = await runNode({
			parameters: { resource: 'message', operation: 'get', messageId: visitorMessageId },
			input: [{}],
			credentials: brevo.credentials,
		});
		expect(error).toBeUndefined();
		expect(output).toEqual([{ json: JSON.parse(JSON.stringify(brevo.fake.messages.get(visitorMessageId))), pairedItem: { item: 0 } }]);
		expect(output[0].json).toMatchObject({ id: visitorMessageId, type: 'visitor', visitorId: 'visitor-get', text: 'Where is my parcel?' });
		expect(brevo.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v3/conversations/messages/${visitorMessageId}`]);
	});

	test("a visitor's message cannot be deleted: Brevo's 400 message is shown and the message stays", async () => {
		const visitorMessageId = brevo.fake.seedVisitorMessage();
		const { error } = await runNode({
			parameters: { resource: 'message', operation: 'delete', messageId: visitorMessageId },
			input: [{}],
			credentials: brevo.credentials,
		});
		expect(error?.message).toBe("Only agents' messages can be updated or deleted [item 0]");
		expect(brevo.fake.messages.has(visitorMessageId)).toBe(true);
	});

	test("a visitor's message cannot be updated: Brevo's 400 message is shown", async () => {
		const visitorMessageId = brevo.fake.seedVisitorMessage();
		const { error } = await runNode({
			parameters: { resource: 'message', operation: 'update', messageId: visitorMessageId, text: 'changed' },
			input: [{}],
			credentials: brevo.credentials,
		});
		expect(error?.message).toBe("Only agents' messages can be updated or deleted [item 0]");
		expect(error?.description).toContain('HTTP 400');
		expect(brevo.fake.messages.get(visitorMessageId)?.text).not.toBe('changed');
	});
});
