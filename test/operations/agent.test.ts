import { API_KEY, sortedBy, useFakeBrevo } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

const brevo = useFakeBrevo();

describe('Agent → Set Online', () => {
	test('by agent ID: POST /conversations/agentOnlinePing per item, 201 empty reply becomes {success: true}', async () => {
		const { output, error } = await runNode({
			parameters: { resource: 'agent', operation: 'setOnline', identifyAgentBy: 'id', agentId: '={{ $json.agent }}' },
			input: [{ agent: 'agent-1' }, { agent: 'agent-2' }, { agent: 'agent-3' }],
			credentials: brevo.credentials,
		});
		expect(error).toBeUndefined();
		expect(output).toEqual([0, 1, 2].map((i) => ({ json: { success: true }, pairedItem: { item: i } })));
		expect(sortedBy(brevo.fake.requests, (r) => r.body.agentId).map((r) => [r.method, r.path, r.headers['api-key'], r.body])).toEqual(
			[1, 2, 3].map((n) => ['POST', '/v3/conversations/agentOnlinePing', API_KEY, { agentId: `agent-${n}` }]),
		);
	});

	test('by email: email, name and received-from are all sent', async () => {
		const { output, error } = await runNode({
			parameters: {
				resource: 'agent',
				operation: 'setOnline',
				identifyAgentBy: 'email',
				agentEmail: '={{ $json.email }}',
				agentName: 'Night bot',
				receivedFrom: 'n8n-night-bot',
			},
			input: [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'c@example.com' }],
			credentials: brevo.credentials,
		});
		expect(error).toBeUndefined();
		expect(output.map((o) => o.json)).toEqual([{ success: true }, { success: true }, { success: true }]);
		expect(sortedBy(brevo.fake.requests, (r) => r.body.agentEmail).map((r) => r.body)).toEqual(
			['a', 'b', 'c'].map((l) => ({ agentEmail: `${l}@example.com`, agentName: 'Night bot', receivedFrom: 'n8n-night-bot' })),
		);
	});
});
