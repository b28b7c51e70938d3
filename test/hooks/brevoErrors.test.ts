import { NodeApiError } from 'n8n-workflow';
import { mapBrevoError, rateLimitResetSeconds, throwOnBrevoError } from '../../nodes/BrevoConversations/helpers/brevoErrors';
import { fakeItemContext } from './fakeContext';

describe('mapBrevoError', () => {
	const body = (message: string, code = 'invalid_parameter') => ({ code, message });

	test("400: Brevo's message, the code, which field", () => {
		const mapped = mapBrevoError({ statusCode: 400, headers: {}, body: body('text is missing', 'missing_parameter') });
		expect(mapped).toMatchObject({ message: 'text is missing', code: 'missing_parameter' });
		expect(mapped.description).toContain('names the field to fix');
		expect(mapped.description).toContain('missing_parameter');
	});

	test('401: the key, or the Authorised IPs when Brevo says so (both spellings)', () => {
		expect(mapBrevoError({ statusCode: 401, headers: {}, body: body('Key not found', 'unauthorized') }).description).toContain('Check the API key');
		for (const word of ['unrecognised', 'unrecognized']) {
			const mapped = mapBrevoError({ statusCode: 401, headers: {}, body: body(`You are using an ${word} IP address 1.2.3.4`) });
			expect(mapped.description).toContain('Security → Authorised IPs');
		}
	});

	test('404 names the ID when there is one', () => {
		expect(mapBrevoError({ statusCode: 404, headers: {}, body: body('Message not found'), messageId: 'abc' }).description).toContain('no message with ID "abc"');
		expect(mapBrevoError({ statusCode: 404, headers: {}, body: body('Not found') }).description).toContain('nothing at this address');
	});

	test('429: reset seconds from x-sib-ratelimit-reset, limit in the description', () => {
		const mapped = mapBrevoError({ statusCode: 429, headers: { 'x-sib-ratelimit-reset': '37', 'x-sib-ratelimit-limit': '100' }, body: body('Too many requests') });
		expect(mapped.rateLimitResetSeconds).toBe(37);
		expect(mapped.message).toBe("Too many requests: Brevo's rate limit is reached; the quota resets in 37 s");
		expect(mapped.description).toContain('100 requests per window');
		expect(mapBrevoError({ statusCode: 429, headers: {}, body: '' }).message).toContain('the quota resets later');
	});

	test('forModel: what an AI agent reads, for the cases only the owner can fix too', () => {
		const ip = mapBrevoError({ statusCode: 401, headers: {}, body: body('You are using an unrecognised IP address 203.0.113.7') });
		expect(ip.forModel).toBe(
			"Brevo refused the request: You are using an unrecognised IP address 203.0.113.7. The workflow's owner must allow n8n's IP address in Brevo (Security → Authorised IPs); calling the tool again will not help.",
		);
		const denied = mapBrevoError({ statusCode: 403, headers: {}, body: body('Permission denied', 'permission_denied') });
		expect(denied.forModel).toBe(
			"Brevo does not allow the workflow's API key to do this (Permission denied). The workflow's owner must check the Brevo account and credential; calling the tool again will not help.",
		);
		expect(mapBrevoError({ statusCode: 429, headers: {}, body: '' }).forModel).toBe(
			"Brevo's rate limit is reached, so the request was not carried out; the quota resets later. Do not call this tool again before then.",
		);
	});

	test('5xx: says it was not retried and why', () => {
		expect(mapBrevoError({ statusCode: 503, headers: {}, body: body('Unavailable') }).description).toContain('no idempotency key');
	});

	test.each([
		['', 'Brevo answered HTTP 502 without an explanation'],
		['<html><h1>Bad gateway</h1></html>', 'Brevo answered HTTP 502 without an explanation'],
		['upstream timed out', 'upstream timed out'],
		['{"message":"  spaced  "}', 'spaced'],
		['{"code":"x"}', 'Brevo answered HTTP 502 without an explanation'],
		[undefined, 'Brevo answered HTTP 502 without an explanation'],
		[{ message: 42 }, 'Brevo answered HTTP 502 without an explanation'],
	])('body %p → message %p', (raw, message) => {
		expect(mapBrevoError({ statusCode: 502, headers: {}, body: raw }).message).toBe(message);
	});
});

test('rateLimitResetSeconds reads whole or fractional seconds and ignores junk', () => {
	expect(rateLimitResetSeconds({ 'x-sib-ratelimit-reset': '0' })).toBe(0);
	expect(rateLimitResetSeconds({ 'x-sib-ratelimit-reset': 12 })).toBe(12);
	expect(rateLimitResetSeconds({ 'X-Sib-Ratelimit-Reset': '5' })).toBeUndefined();
	expect(rateLimitResetSeconds({ 'x-sib-ratelimit-reset': 'soon' })).toBeUndefined();
	expect(rateLimitResetSeconds({ 'x-sib-ratelimit-reset': '-1' })).toBeUndefined();
});

describe('throwOnBrevoError (postReceive)', () => {
	test('passes successful answers through untouched', async () => {
		const items = [{ json: { id: 'm1', future: { field: true } } }];
		await expect(throwOnBrevoError.call(fakeItemContext({}), items, { statusCode: 200, headers: {}, body: {} })).resolves.toBe(items);
	});

	test('throws a NodeApiError with the item index, HTTP code and reset seconds', async () => {
		const ctx = fakeItemContext({ operation: 'send' }, 4);
		const error = await throwOnBrevoError
			.call(ctx, [], { statusCode: 429, headers: { 'x-sib-ratelimit-reset': '9' }, body: { message: 'Too many requests' } })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe("Too many requests: Brevo's rate limit is reached; the quota resets in 9 s [item 4]");
		expect((error as NodeApiError).httpCode).toBe('429');
		expect((error as NodeApiError).context).toMatchObject({ itemIndex: 4, rateLimitResetSeconds: 9 });
	});

	test('names the message ID of get/update/delete in a 404', async () => {
		const ctx = fakeItemContext({ resource: 'message', operation: 'delete', messageId: ' m-9 ' });
		const error = (await throwOnBrevoError.call(ctx, [], { statusCode: 404, headers: {}, body: { message: 'Message not found' } }).catch((e: unknown) => e)) as NodeApiError;
		expect(error.description).toContain('no message with ID "m-9"');
	});
});
