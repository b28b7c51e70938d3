import { NodeApiError, type IDataObject } from 'n8n-workflow';
import { sendWithRequestPolicy } from '../../nodes/BrevoConversations/helpers/sendWithRequestPolicy';
import { fakeItemContext, fakeNode } from './fakeContext';

function rateLimited(resetSeconds: number) {
	const error = new NodeApiError(fakeNode, { message: 'Too many requests' }, { message: 'Too many requests [item 0]', httpCode: '429' });
	error.context.rateLimitResetSeconds = resetSeconds;
	return error;
}

/** A context whose routed request (n8n's makeRoutingRequest) answers with the given outcomes in turn. */
function contextAnswering(options: Record<string, unknown>, outcomes: Array<Error | IDataObject>) {
	const calls: number[] = [];
	const ctx = fakeItemContext({ options }, 0, {
		makeRoutingRequest: async () => {
			calls.push(Date.now());
			const next = outcomes.shift();
			if (next instanceof Error) throw next;
			return [{ json: next }];
		},
	} as never);
	return { ctx, calls };
}

const ok = { id: 'm1' };
const request = () => ({ options: {}, preSend: [], postReceive: [] }) as never;

test('a 429 is waited out and retried once the quota resets', async () => {
	const { ctx, calls } = contextAnswering({}, [rateLimited(1), ok]);
	await expect(sendWithRequestPolicy.call(ctx, request())).resolves.toEqual([{ json: ok }]);
	expect(calls).toHaveLength(2);
	expect(calls[1] - calls[0]).toBeGreaterThanOrEqual(950);
});

test('a reset of 0 still waits a second, so a stuck quota cannot spin', async () => {
	const { ctx, calls } = contextAnswering({}, [rateLimited(0), ok]);
	await sendWithRequestPolicy.call(ctx, request());
	expect(calls[1] - calls[0]).toBeGreaterThanOrEqual(950);
});

test('Fail, or a wait beyond Max Wait, rethrows the 429 without sending again', async () => {
	const failing = contextAnswering({ onRateLimit: 'fail' }, [rateLimited(1), ok]);
	await expect(sendWithRequestPolicy.call(failing.ctx, request())).rejects.toMatchObject({ httpCode: '429' });
	expect(failing.calls).toHaveLength(1);

	const tooLong = contextAnswering({ maxWait: 5 }, [rateLimited(6), ok]);
	const error = await sendWithRequestPolicy.call(tooLong.ctx, request()).catch((e: NodeApiError) => e) as NodeApiError;
	expect(error.description).toMatch(/^Waited 0 s of the 5 s allowed/);
	expect(tooLong.calls).toHaveLength(1);
});

test('5xx and network errors are never retried, and lose their request details', async () => {
	const serverError = new NodeApiError(fakeNode, { message: 'boom' }, { message: 'boom [item 0]', httpCode: '500' });
	const five = contextAnswering({}, [serverError, ok]);
	await expect(sendWithRequestPolicy.call(five.ctx, request())).rejects.toBe(serverError);
	expect(five.calls).toHaveLength(1);

	const axiosLike = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', config: { headers: { 'api-key': 'secret' } } });
	const network = contextAnswering({}, [new NodeApiError(fakeNode, axiosLike as never), ok]);
	const error = await sendWithRequestPolicy.call(network.ctx, request()).catch((e: NodeApiError) => e) as NodeApiError;
	expect(network.calls).toHaveLength(1);
	expect(error.cause).toBeUndefined();
	expect(JSON.stringify(error)).not.toContain('secret');
	expect(error.message).toMatch(/\[item 0\]$/);
	expect(error.description).toContain('Check the Base URL');
});
