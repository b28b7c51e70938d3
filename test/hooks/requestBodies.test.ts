import type { IHttpRequestOptions } from 'n8n-workflow';
import {
	addMessageIdToPath,
	buildAgentOnlinePing,
	buildAutomatedMessageSend,
	buildMessageSend,
	buildMessageUpdate,
} from '../../nodes/BrevoConversations/helpers/requestBodies';
import { returnDeleted, returnSuccess } from '../../nodes/BrevoConversations/helpers/responses';
import { fakeItemContext } from './fakeContext';

const request = (url: string): IHttpRequestOptions => ({ url, method: 'POST' });

describe('preSend hooks build the whole request from one item', () => {
	test('buildMessageSend: by agent ID, receivedFrom only when set', async () => {
		const ctx = fakeItemContext({ visitorId: ' v1 ', text: 'Hi ', identifyAgentBy: 'id', agentId: 'a1', receivedFrom: '' });
		expect((await buildMessageSend.call(ctx, request('/conversations/messages'))).body).toEqual({ visitorId: 'v1', text: 'Hi ', agentId: 'a1' });
	});

	test('buildMessageSend: by email needs all three', async () => {
		const ctx = fakeItemContext({ visitorId: 'v1', text: 'Hi', identifyAgentBy: 'email', agentEmail: 'bot@example.com', agentName: 'Bot', receivedFrom: 'n8n', agentId: 'ignored' });
		expect((await buildMessageSend.call(ctx, request('/x'))).body).toEqual({ visitorId: 'v1', text: 'Hi', agentEmail: 'bot@example.com', agentName: 'Bot', receivedFrom: 'n8n' });
		const missing = fakeItemContext({ visitorId: 'v1', text: 'Hi', identifyAgentBy: 'email', agentEmail: 'bot@example.com', agentName: 'Bot' }, 3);
		await expect(buildMessageSend.call(missing, request('/x'))).rejects.toThrow('Received From is empty [item 3]');
	});

	test.each([
		[{ sender: 'random', agentId: 'a', groupId: 'g' }, {}],
		[{ sender: 'agent', agentId: 'a', groupId: 'g' }, { agentId: 'a' }],
		[{ sender: 'group', agentId: 'a', groupId: 'g' }, { groupId: 'g' }],
	])('buildAutomatedMessageSend %p sends only the chosen sender', async (sender, expected) => {
		const ctx = fakeItemContext({ visitorId: 'v', text: 't', ...sender });
		expect((await buildAutomatedMessageSend.call(ctx, request('/conversations/pushedMessages'))).body).toEqual({ visitorId: 'v', text: 't', ...expected });
	});

	test('buildAgentOnlinePing: the identity alone', async () => {
		const ctx = fakeItemContext({ identifyAgentBy: 'id', agentId: 'a7', visitorId: 'not sent' });
		expect((await buildAgentOnlinePing.call(ctx, request('/conversations/agentOnlinePing'))).body).toEqual({ agentId: 'a7' });
	});

	test('addMessageIdToPath and buildMessageUpdate append one encoded segment', async () => {
		const ctx = fakeItemContext({ messageId: ' a/b ', text: 'new text' });
		expect((await addMessageIdToPath.call(ctx, request('/conversations/messages'))).url).toBe('/conversations/messages/a%2Fb');
		const updated = await buildMessageUpdate.call(ctx, request('/conversations/pushedMessages'));
		expect([updated.url, updated.body]).toEqual(['/conversations/pushedMessages/a%2Fb', { text: 'new text' }]);
		await expect(addMessageIdToPath.call(fakeItemContext({ messageId: '..' }, 1), request('/m'))).rejects.toThrow('Message ID ".." is not a valid ID [item 1]');
	});

	test('errors carry the field hint as description and the item index in context', async () => {
		const error = await buildAutomatedMessageSend.call(fakeItemContext({ visitorId: { id: 1 }, text: 't' }, 2), request('/x')).catch((e: unknown) => e);
		expect(error).toMatchObject({
			message: 'Visitor ID must be text, but the expression returned an object [item 2]',
			description: expect.stringMatching(/^Map a single text value/),
			context: expect.objectContaining({ itemIndex: 2 }),
		});
	});
});

test('postReceive shapes for empty replies', async () => {
	const ctx = fakeItemContext({});
	expect(await returnDeleted.call(ctx)).toEqual([{ json: { deleted: true } }]);
	expect(await returnSuccess.call(ctx)).toEqual([{ json: { success: true } }]);
});
