import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { sendRoutedRequest } from '../../nodes/BrevoConversations/helpers/sendRequest';
import { fakeItemContext } from './fakeContext';

/** Item contexts of one node run (shared executeData), counting credential reads and requests. */
function fakeRun() {
	const executeData = {};
	const seen = { reads: 0, requests: [] as Array<{ options: IHttpRequestOptions; credentials: unknown }> };
	let failNextRead = false;
	const itemContext = (itemIndex: number) =>
		fakeItemContext({}, itemIndex, {
			getExecuteData: () => executeData as never,
			getCredentials: async () => {
				seen.reads++;
				await new Promise((resolve) => setTimeout(resolve, 5));
				if (failNextRead) {
					failNextRead = false;
					throw new Error('credential not found');
				}
				return { apiKey: 'key-1' } as never;
			},
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions, extra: { credentialsDecrypted: unknown }) => {
					seen.requests.push({ options, credentials: extra.credentialsDecrypted });
					return { body: { ok: true }, headers: { 'x-test': '1' }, statusCode: 200 };
				},
			} as never,
		});
	return { itemContext, seen, failNextRead: () => (failNextRead = true) };
}

const request = (postReceive: unknown[] = []) => ({ options: { url: '/x', method: 'POST' }, preSend: [], postReceive }) as never;

test('the items of one run read the credential once, even when they ask at the same moment', async () => {
	const run = fakeRun();
	await Promise.all([0, 1, 2, 3, 4].map((i) => sendRoutedRequest(run.itemContext(i), request())));
	expect(run.seen.reads).toBe(1);
	expect(run.seen.requests).toHaveLength(5);
	for (const r of run.seen.requests) {
		expect(r.credentials).toMatchObject({ type: 'brevoConversationsApi', data: { apiKey: 'key-1' } });
		expect(r.options.returnFullResponse).toBe(true);
	}
});

test('another run reads it again', async () => {
	const first = fakeRun();
	const second = fakeRun();
	await sendRoutedRequest(first.itemContext(0), request());
	await sendRoutedRequest(second.itemContext(0), request());
	expect(first.seen.reads + second.seen.reads).toBe(2);
});

test('a failed read is not kept: the next item of the run reads again', async () => {
	const run = fakeRun();
	run.failNextRead();
	await expect(sendRoutedRequest(run.itemContext(0), request())).rejects.toThrow('credential not found');
	await expect(sendRoutedRequest(run.itemContext(1), request())).resolves.toEqual([{ json: { ok: true } }]);
	expect(run.seen.reads).toBe(2);
});

test('post-receive hooks run in order on the full response, as n8n runs them', async () => {
	const run = fakeRun();
	const calls: string[] = [];
	const first = async function (items: INodeExecutionData[], response: { headers: IDataObject }) {
		calls.push(`first ${JSON.stringify(items)} ${String(response.headers['x-test'])}`);
		return [{ json: { shaped: 1 } }];
	};
	const second = async function (items: INodeExecutionData[]) {
		calls.push(`second ${JSON.stringify(items)}`);
		return items;
	};
	await expect(sendRoutedRequest(run.itemContext(0), request([{ actions: [first, second] }]))).resolves.toEqual([{ json: { shaped: 1 } }]);
	expect(calls).toEqual(['first [{"json":{"ok":true}}] 1', 'second [{"json":{"shaped":1}}]']);
});

test('a declarative (non-function) post-receive action is refused rather than silently skipped', async () => {
	const run = fakeRun();
	await expect(sendRoutedRequest(run.itemContext(0), request([{ actions: [{ type: 'rootProperty', properties: { property: 'data' } }] }]))).rejects.toThrow(
		'post-receive hooks must be functions',
	);
});
