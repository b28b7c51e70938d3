/**
 * Trigger version 2's rules for chat bots, through the real webhook() behind a real HTTP server
 * (n8n-core's WebhookContext, see webhookServer.ts): it starts only on what the visitor wrote, hands
 * over all of it, and downloads the visitor's files (served by the fake Brevo on 127.0.0.1) into
 * binary data. Version 1 keeps its old behaviour for saved workflows.
 */
import dns from 'node:dns';
import { DnsResolver, SsrfProtectionService } from '@n8n/backend-network';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';
import {
	agentMessage,
	automatedMessage,
	BOT_LABEL,
	botMessage,
	conversationFragment,
	conversationStarted,
	conversationTranscript,
	visitorFileMessage,
	visitorMessage,
} from '../fake-brevo/brevoEvents';
import { FakeBrevo } from '../fake-brevo/server';
import { TriggerWebhookServer } from './webhookServer';

const TOKEN = 'Zq4uT9v1xW7yB2nM5kP8';
/** The fake file server listens on 127.0.0.1, which the trigger refuses unless allowed. */
const FILE_HOST = '127.0.0.1';
const ALL_EVENTS = ['conversationStarted', 'conversationFragment', 'conversationTranscript'];
const NOT_STARTED = (eventName: string) => ({ status: 200, body: { message: 'No visitor message in the event', eventName } });

const server = new TriggerWebhookServer();
const files = new FakeBrevo();

beforeAll(async () => {
	await server.start();
	await files.start();
});
afterAll(async () => {
	await server.stop();
	await files.stop();
});

function configure(options: Record<string, unknown> = {}, simplify = true) {
	server.configure({ events: ALL_EVENTS, simplify, options: { ignoreReceivedFrom: BOT_LABEL, ...options } } as never, { token: TOKEN });
}

describe('starts only on visitor messages (the default)', () => {
	beforeEach(() => configure());

	it.each([
		['a human agent\'s message', agentMessage('a1', 'Julia here, checking', 10)],
		['an automated message (no Received From possible)', automatedMessage('p1', 'Your parcel is on its way', 10)],
		['a message of Brevo\'s chat bot', botMessage('b1', 'How can I help?', 10)],
	])('acknowledges a fragment holding only %s and starts nothing', async (_name, message) => {
		const reply = await server.post(conversationFragment([message]), { token: TOKEN });
		expect(reply).toEqual(NOT_STARTED('conversationFragment'));
		expect(server.started).toHaveLength(0);
	});

	it('acknowledges a fragment of agent, automated and bot messages together and starts nothing', async () => {
		const body = conversationFragment([agentMessage('a1', 'Hi', 1), automatedMessage('p1', 'Shipped', 2), botMessage('b1', 'Hello', 3)]);
		expect(await server.post(body, { token: TOKEN })).toEqual(NOT_STARTED('conversationFragment'));
		expect(server.started).toHaveLength(0);
	});

	it('acknowledges a conversation an agent opened and starts nothing', async () => {
		const reply = await server.post(conversationStarted(agentMessage('a1', 'Hello, can I help?', 10)), { token: TOKEN });
		expect(reply).toEqual(NOT_STARTED('conversationStarted'));
		expect(server.started).toHaveLength(0);
	});

	it('starts on a mixed fragment and hands over only the visitor\'s messages in the simplified item', async () => {
		const body = conversationFragment([
			agentMessage('a1', 'Julia here', 10),
			visitorMessage('v1', 'My parcel is late', 20),
			automatedMessage('p1', 'Rate us!', 30),
		]);
		expect((await server.post(body, { token: TOKEN })).status).toBe(200);
		expect(server.started).toHaveLength(1);
		expect(server.lastItems()[0].json).toMatchObject({
			messageText: 'My parcel is late',
			messageId: 'v1',
			visitorMessages: [{ id: 'v1', text: 'My parcel is late', createdAt: 20 }],
			visitorText: 'My parcel is late',
		});
	});

	it('applies Received From first: a visitor message next to our echo still starts, our echo alone does not', async () => {
		const echo = agentMessage('e1', 'Bot reply', 5, { receivedFrom: BOT_LABEL });
		await server.post(conversationFragment([echo]), { token: TOKEN });
		expect(server.started).toHaveLength(0);
		await server.post(conversationFragment([echo, visitorMessage('v1', 'Thanks', 6)]), { token: TOKEN });
		expect(server.started).toHaveLength(1);
	});

	it('still starts on a transcript whatever it holds (a record, not a message to answer)', async () => {
		await server.post(conversationTranscript([agentMessage('a1', 'Bye', 1)]), { token: TOKEN });
		expect(server.started).toHaveLength(1);
	});

	it('keeps Brevo\'s event whole in the raw output (less ignored messages)', async () => {
		configure({}, false);
		const body = conversationFragment([agentMessage('a1', 'Julia here', 10), visitorMessage('v1', 'Hi', 20)]);
		await server.post(body, { token: TOKEN });
		expect(server.lastItems()[0].json).toEqual(body);
	});
});

describe('Start On: Any New Message (for logging and analytics)', () => {
	beforeEach(() => configure({ startOn: 'anyMessage' }));

	it.each([
		['an agent-only fragment', conversationFragment([agentMessage('a1', 'Julia here', 10)])],
		['an automated-only fragment', conversationFragment([automatedMessage('p1', 'Shipped', 10)])],
		['a bot-only fragment', conversationFragment([botMessage('b1', 'Hello', 10)])],
		['a conversation an agent opened', conversationStarted(agentMessage('a1', 'Hello', 10))],
	])('starts on %s', async (_name, body) => {
		expect((await server.post(body, { token: TOKEN })).status).toBe(200);
		expect(server.started).toHaveLength(1);
		expect(server.lastItems()[0].json).toMatchObject({ visitorMessages: [] });
		expect(server.lastItems()[0].json.visitorText).toBeUndefined();
	});

	it('still drops the Received From echoes', async () => {
		await server.post(conversationFragment([agentMessage('e1', 'Bot', 1, { receivedFrom: BOT_LABEL })]), { token: TOKEN });
		expect(server.started).toHaveLength(0);
	});
});

describe('all the visitor\'s new messages on the item', () => {
	beforeEach(() => configure());

	it('lists every visitor message oldest first (whatever order Brevo sent), joins their texts, keeps the newest as messageText', async () => {
		const body = conversationFragment([
			visitorMessage('v3', 'It was due on Monday.', 300),
			visitorMessage('v1', 'Hi,', 100),
			agentMessage('a1', 'Looking', 150),
			visitorMessage('v2', 'where is order 1042?', 200),
		]);
		await server.post(body, { token: TOKEN });
		const json = server.lastItems()[0].json;
		expect(json.visitorMessages).toEqual([
			{ id: 'v1', text: 'Hi,', createdAt: 100 },
			{ id: 'v2', text: 'where is order 1042?', createdAt: 200 },
			{ id: 'v3', text: 'It was due on Monday.', createdAt: 300 },
		]);
		expect(json.visitorText).toBe('Hi,\nwhere is order 1042?\nIt was due on Monday.');
		expect(json).toMatchObject({ messageText: 'It was due on Monday.', messageId: 'v3' });
	});

	it('lists the links of the files each message carries (old and new payloads), without downloading them', async () => {
		const body = conversationFragment([
			visitorFileMessage('v1', 1, [{ name: 'parcel.jpg', link: 'https://files.example.invalid/a/parcel.jpg', mimeType: 'image/jpeg', size: 2048 }], { legacy: true }),
			visitorFileMessage('v2', 2, [{ name: 'invoice.pdf', link: 'https://files.example.invalid/b/invoice.pdf', mimeType: 'application/pdf' }], { text: 'Invoice attached' }),
		]);
		await server.post(body, { token: TOKEN });
		const [item] = server.lastItems();
		expect(item.json.visitorMessages).toEqual([
			{ id: 'v1', text: '', createdAt: 1, files: [{ name: 'parcel.jpg', link: 'https://files.example.invalid/a/parcel.jpg', size: 2048 }] },
			{ id: 'v2', text: 'Invoice attached', createdAt: 2, files: [{ name: 'invoice.pdf', link: 'https://files.example.invalid/b/invoice.pdf', mimeType: 'application/pdf' }] },
		]);
		expect(item.json.visitorText).toBe('Invoice attached');
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadedFiles).toBeUndefined();
	});
});

describe('Download Visitor Files', () => {
	const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(600, 7)]);
	const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

	beforeEach(() => {
		configure({ downloadFiles: true, maxFileSize: 1, downloadTimeout: 2, allowedFileHosts: FILE_HOST });
		files.clearRequests();
	});

	const fileRequests = () => files.requests.filter((r) => r.path.startsWith('/files/'));

	function decoded(binary: IBinaryData | undefined): Buffer {
		return Buffer.from(binary?.data ?? '', 'base64');
	}

	it('puts an image and a PDF into attachment_0 and attachment_1 with their names and MIME types', async () => {
		const image = files.seedFile('damaged parcel.png', PNG, 'image/png');
		const pdf = files.seedFile('invoice-1042.pdf', PDF, 'application/pdf');
		const body = conversationFragment([
			visitorFileMessage('v1', 1, [{ name: 'damaged parcel.png', link: image, mimeType: 'image/png' }], { text: 'Look at this' }),
			visitorFileMessage('v2', 2, [{ name: 'invoice-1042.pdf', link: pdf }], { legacy: true }),
		]);
		const reply = await server.post(body, { token: TOKEN });
		expect(reply.status).toBe(200);
		const [item] = server.lastItems();
		expect(Object.keys(item.binary ?? {})).toEqual(['attachment_0', 'attachment_1']);
		expect(item.binary?.attachment_0).toMatchObject({ fileName: 'damaged parcel.png', mimeType: 'image/png' });
		expect(decoded(item.binary?.attachment_0)).toEqual(PNG);
		// The legacy `file` has no MIME type: the file server's Content-Type is used.
		expect(item.binary?.attachment_1).toMatchObject({ fileName: 'invoice-1042.pdf', mimeType: 'application/pdf' });
		expect(decoded(item.binary?.attachment_1)).toEqual(PDF);
		expect(item.json.downloadedFiles).toEqual([
			{ binaryProperty: 'attachment_0', fileName: 'damaged parcel.png', mimeType: 'image/png', fileSize: PNG.length, messageId: 'v1' },
			{ binaryProperty: 'attachment_1', fileName: 'invoice-1042.pdf', mimeType: 'application/pdf', fileSize: PDF.length, messageId: 'v2' },
		]);
		expect(item.json.skippedFiles).toEqual([]);
		expect(item.json.visitorText).toBe('Look at this');
		expect(fileRequests()).toHaveLength(2);
	});

	it('skips what cannot be had, lists each with its reason, and starts the workflow anyway', async () => {
		const ok = files.seedFile('ok.png', PNG, 'image/png');
		const big = files.seedFile('big.mov', Buffer.alloc(1536 * 1024, 1), 'video/quicktime');
		const bigUnannounced = files.seedFile('big.zip', Buffer.alloc(1536 * 1024, 2), 'application/zip', { announceSize: false });
		const slow = files.seedFile('slow.png', PNG, 'image/png', { delayMs: 4000 });
		const body = conversationFragment([
			visitorFileMessage('v1', 1, [
				{ name: 'big.mov', link: big },
				{ name: 'big.zip', link: bigUnannounced },
				{ name: 'gone.png', link: files.missingFileUrl('gone.png') },
				{ name: 'local.txt', link: 'file:///etc/passwd' },
				{ name: 'inline.png', link: 'data:image/png;base64,iVBORw0KGgo=' },
				{ name: 'huge.iso', link: 'https://files.example.invalid/huge.iso', size: 50 * 1024 * 1024 },
				{ name: 'slow.png', link: slow },
				{ name: 'ok.png', link: ok, mimeType: 'image/png' },
			]),
		]);
		const reply = await server.post(body, { token: TOKEN });
		expect(reply.status).toBe(200);
		expect(server.started).toHaveLength(1);
		const [item] = server.lastItems();
		expect(Object.keys(item.binary ?? {})).toEqual(['attachment_0']);
		expect(item.binary?.attachment_0).toMatchObject({ fileName: 'ok.png' });
		const reasons = Object.fromEntries((item.json.skippedFiles as Array<{ fileName: string; reason: string }>).map((f) => [f.fileName, f.reason]));
		expect(reasons).toEqual({
			'big.mov': 'The file is 1.5 MB, over the 1 MB limit',
			'big.zip': 'The file is larger than the 1 MB limit',
			'gone.png': 'The file server answered HTTP 404',
			'local.txt': 'The link is not an http(s) URL',
			'inline.png': 'The link is not an http(s) URL',
			'huge.iso': 'The file is 50 MB, over the 1 MB limit',
			'slow.png': 'The download took longer than 2 s',
		});
		// Never requested: the non-http links and the file Brevo announced as too large.
		const requested = fileRequests().map((r) => decodeURIComponent(r.path.split('/').pop()!)).sort();
		expect(requested).toEqual(['big.mov', 'big.zip', 'gone.png', 'ok.png', 'slow.png']);
	});

	it('downloads only the visitor\'s files, not an agent\'s', async () => {
		const visitorFile = files.seedFile('photo.png', PNG, 'image/png');
		const agentFile = files.seedFile('terms.pdf', PDF, 'application/pdf');
		const fromAgent = { ...agentMessage('a1', 'Our terms', 1), attachments: [{ name: 'terms.pdf', link: agentFile, mimeType: 'application/pdf' }] };
		await server.post(conversationFragment([fromAgent, visitorFileMessage('v1', 2, [{ name: 'photo.png', link: visitorFile }])]), { token: TOKEN });
		const [item] = server.lastItems();
		expect((item.json.downloadedFiles as Array<{ fileName: string }>).map((f) => f.fileName)).toEqual(['photo.png']);
		expect(fileRequests()).toHaveLength(1);
	});

	it('fetches nothing before the token check passes', async () => {
		const link = files.seedFile('photo.png', PNG, 'image/png');
		const body = conversationFragment([visitorFileMessage('v1', 1, [{ name: 'photo.png', link }])]);
		expect((await server.post(body, { token: 'wrong-token-0123456789' })).status).toBe(403);
		expect((await server.post(body)).status).toBe(401);
		expect(server.started).toHaveLength(0);
		expect(fileRequests()).toHaveLength(0);
	});

	it('fetches nothing for an event that starts nothing', async () => {
		const link = files.seedFile('terms.pdf', PDF, 'application/pdf');
		const fromAgent = { ...agentMessage('a1', 'Our terms', 1), attachments: [{ name: 'terms.pdf', link }] };
		expect(await server.post(conversationFragment([fromAgent]), { token: TOKEN })).toEqual(NOT_STARTED('conversationFragment'));
		expect(fileRequests()).toHaveLength(0);
	});

	it('adds the file lists to the raw output too', async () => {
		configure({ downloadFiles: true, allowedFileHosts: FILE_HOST }, false);
		const link = files.seedFile('photo.png', PNG, 'image/png');
		const body = conversationFragment([visitorFileMessage('v1', 1, [{ name: 'photo.png', link }])]);
		await server.post(body, { token: TOKEN });
		const [item] = server.lastItems();
		expect(item.json).toEqual({ ...body, downloadedFiles: [expect.objectContaining({ binaryProperty: 'attachment_0' })], skippedFiles: [] });
	});
});

describe('Download Visitor Files: what is never stored, never fetched, never lost', () => {
	const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(600, 7)]);
	const fileRequests = () => files.requests.filter((r) => r.path.startsWith('/files/'));
	const reasonsOf = (item: { json: Record<string, unknown> }) =>
		Object.fromEntries((item.json.skippedFiles as Array<{ fileName: string; reason: string }>).map((f) => [f.fileName, f.reason]));
	const post = async (attachments: Array<{ name: string; link: string; size?: number }>) => {
		const reply = await server.post(conversationFragment([visitorFileMessage('v1', 1, attachments)]), { token: TOKEN });
		expect(reply.status).toBe(200);
		expect(server.started).toHaveLength(1);
		return server.lastItems()[0];
	};

	beforeEach(() => {
		configure({ downloadFiles: true, allowedFileHosts: FILE_HOST });
		files.clearRequests();
	});
	afterEach(() => jest.restoreAllMocks());

	it('stores only a 2xx answer with a body: 204, 304 and an empty 200 are skipped with their status', async () => {
		const item = await post([
			{ name: 'no-content.png', link: files.seedFile('no-content.png', '', 'image/png', { status: 204 }) },
			{ name: 'not-modified.png', link: files.seedFile('not-modified.png', '', 'image/png', { status: 304 }) },
			{ name: 'empty.png', link: files.seedFile('empty.png', '', 'image/png') },
		]);
		expect(item.binary ?? {}).toEqual({});
		expect(reasonsOf(item)).toEqual({
			'no-content.png': 'The file server answered HTTP 204',
			'not-modified.png': 'The file server answered HTTP 304',
			'empty.png': 'The file server sent an empty file',
		});
	});

	it('follows a redirect on an allowed host, never one to another host (each hop is checked)', async () => {
		const target = files.seedFile('target.png', PNG, 'image/png');
		const sameHost = files.seedFile('moved.png', '', 'image/png', { redirectTo: target });
		const otherHostTarget = files.seedFile('secret.png', PNG, 'image/png');
		const otherHost = files.seedFile('leak.png', '', 'image/png', { redirectTo: otherHostTarget.replace('127.0.0.1', 'localhost') });
		const item = await post([
			{ name: 'moved.png', link: sameHost },
			{ name: 'leak.png', link: otherHost },
		]);
		expect(item.json.downloadedFiles).toEqual([expect.objectContaining({ fileName: 'moved.png', fileSize: PNG.length })]);
		expect(reasonsOf(item)['leak.png']).toMatch(/^The link was not followed: /);
		expect(fileRequests().map((r) => decodeURIComponent(r.path.split('/').pop()!)).sort()).toEqual(['leak.png', 'moved.png', 'target.png']);
	});

	it('refuses internal addresses unless allowed, without a request: metadata, loopback, private, local names', async () => {
		configure({ downloadFiles: true });
		const item = await post([
			{ name: 'metadata', link: 'http://169.254.169.254/latest/meta-data/iam' },
			{ name: 'loopback', link: files.seedFile('loopback.png', PNG, 'image/png') },
			{ name: 'private', link: 'http://10.1.2.3/file.png' },
			{ name: 'ipv6', link: 'http://[::1]:9/file.png' },
		]);
		expect(item.binary ?? {}).toEqual({});
		const reasons = reasonsOf(item);
		expect(Object.keys(reasons).sort()).toEqual(['ipv6', 'loopback', 'metadata', 'private']);
		for (const reason of Object.values(reasons)) expect(reason).toMatch(/^The link was not followed: /);
		expect(fileRequests()).toHaveLength(0);
	});

	/** Node's own resolver, which must never be asked: an error if it is (no address of this machine's network is ever given out). */
	const nodeResolverAsked = () =>
		jest.spyOn(dns, 'lookup').mockImplementation(((_host: string, options: unknown, callback?: unknown) => {
			const done = (typeof options === 'function' ? options : callback) as (error: Error) => void;
			process.nextTick(() => done(Object.assign(new Error('getaddrinfo ENOTFOUND (the test resolver)'), { code: 'ENOTFOUND' })));
		}) as never);

	it('DNS rebinding: the address n8n\'s SSRF protection resolves and refuses is the one that counts, with no second lookup', async () => {
		configure({ downloadFiles: true });
		const link = files.seedFile('internal.png', PNG, 'image/png').replace('127.0.0.1', 'files.rebind.example');
		const checked = jest.spyOn(DnsResolver.prototype, 'lookup').mockResolvedValue([{ address: '127.0.0.1', family: 4 }]);
		const nodeLookup = nodeResolverAsked();
		const item = await post([{ name: 'internal.png', link }]);
		expect(checked).toHaveBeenCalledWith('files.rebind.example', expect.anything());
		expect(item.binary ?? {}).toEqual({});
		expect(reasonsOf(item)['internal.png']).toMatch(/^The link was not followed: n8n's SSRF protection refuses this address/);
		expect(nodeLookup).not.toHaveBeenCalled();
		expect(fileRequests()).toHaveLength(0);
	});

	it('DNS rebinding: the request goes to the very address n8n checked (pinned), with the named host in Host', async () => {
		configure({ downloadFiles: true });
		const link = files.seedFile('pinned.png', PNG, 'image/png').replace('127.0.0.1', 'files.pinned.example');
		// As if N8N_SSRF_ALLOWED_IP_RANGES held 127.0.0.1: n8n's check resolves the name and lets that address through.
		jest.spyOn(DnsResolver.prototype, 'lookup').mockResolvedValue([{ address: '127.0.0.1', family: 4 }]);
		jest.spyOn(SsrfProtectionService.prototype, 'validateIp').mockImplementation(() => ({ ok: true, result: undefined }));
		const nodeLookup = nodeResolverAsked(); // a request that resolved the name again would fail here
		const item = await post([{ name: 'pinned.png', link }]);
		expect(item.json.downloadedFiles).toEqual([expect.objectContaining({ fileName: 'pinned.png', fileSize: PNG.length })]);
		expect(nodeLookup).not.toHaveBeenCalled();
		expect(fileRequests().map((r) => r.headers.host)).toEqual([new URL(link).host]);
	});

	it('caps the files of an event: Max Files per Event, then Max Total Size; the rest are listed', async () => {
		configure({ downloadFiles: true, allowedFileHosts: FILE_HOST, maxFiles: 2 });
		let item = await post([1, 2, 3].map((n) => ({ name: `f${n}.png`, link: files.seedFile(`f${n}.png`, PNG, 'image/png') })));
		expect((item.json.downloadedFiles as unknown[]).length).toBe(2);
		expect(reasonsOf(item)).toEqual({ 'f3.png': 'Over the limit of 2 files per event' });
		expect(fileRequests()).toHaveLength(2);

		configure({ downloadFiles: true, allowedFileHosts: FILE_HOST, maxTotalSize: 0.1 });
		const big = Buffer.alloc(60 * 1024, 3);
		item = await post([1, 2].map((n) => ({ name: `b${n}.bin`, link: files.seedFile(`b${n}.bin`, big, 'application/octet-stream', { announceSize: false }) })));
		expect((item.json.downloadedFiles as unknown[]).length).toBe(1);
		expect(Object.values(reasonsOf(item))).toEqual(["The event's files are over the 0.1 MB limit for all files of an event"]);
	});

	it('a binary-data store that fails (disk full) costs the file, not the event', async () => {
		const store = jest.spyOn(BinaryDataService.prototype, 'store').mockRejectedValueOnce(new Error('ENOSPC: no space left on device'));
		const item = await post([{ name: 'photo.png', link: files.seedFile('photo.png', PNG, 'image/png') }]);
		expect(store).toHaveBeenCalled();
		expect(reasonsOf(item)).toEqual({ 'photo.png': 'The download failed: ENOSPC: no space left on device' });
		expect(item.json.visitorText).toBeUndefined();
		expect(item.json.messageId).toBe('v1');
	});
});

describe('version 1 (saved workflows) keeps its behaviour', () => {
	beforeEach(() => server.configure({ events: ALL_EVENTS, secret: TOKEN, options: {} } as never, { typeVersion: 1 }));

	it('checks the Secret parameter, not a credential', async () => {
		expect((await server.post(conversationStarted(), { token: 'wrong-token-0123456789' })).status).toBe(403);
		expect((await server.post(conversationStarted(), { token: TOKEN })).status).toBe(200);
		expect(server.started).toHaveLength(1);
		expect(server.credentialReads).toBe(0);
	});

	it('starts on any message, as it always did', async () => {
		await server.post(conversationFragment([agentMessage('a1', 'Julia here', 10)]), { token: TOKEN });
		expect(server.started).toHaveLength(1);
	});
});
