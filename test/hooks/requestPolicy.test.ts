import type { IDataObject } from 'n8n-workflow';
import { DEFAULT_REQUEST_POLICY, requestPolicyOptions, toRequestPolicy } from '../../nodes/BrevoConversations/helpers/requestPolicy';

test('defaults: wait up to 120 s on a 429, 5 requests in flight', () => {
	expect(toRequestPolicy({})).toEqual({ onRateLimit: 'wait', maxWaitSeconds: 120, maxParallel: 5 });
	expect(DEFAULT_REQUEST_POLICY).toEqual(toRequestPolicy({}));
});

test("the editor's defaults are the same as the code's", () => {
	const defaults = Object.fromEntries((requestPolicyOptions.options as Array<{ name: string; default: unknown }>).map((o) => [o.name, o.default])) as IDataObject;
	expect(toRequestPolicy(defaults)).toEqual(DEFAULT_REQUEST_POLICY);
});

test('user values, and fallbacks for nonsense', () => {
	expect(toRequestPolicy({ onRateLimit: 'fail', maxWait: 0, maxParallel: 1 })).toEqual({ onRateLimit: 'fail', maxWaitSeconds: 0, maxParallel: 1 });
	expect(toRequestPolicy({ onRateLimit: 'explode', maxWait: -5, maxParallel: 0 })).toEqual(DEFAULT_REQUEST_POLICY);
	expect(toRequestPolicy({ maxParallel: 2.7, maxWait: '30' })).toMatchObject({ maxParallel: 2, maxWaitSeconds: 30 });
});
