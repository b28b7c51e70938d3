import { useFakeBrevo } from '../harness/fixtures';
import { NODE_NAME, runNode } from '../harness/runNode';

// Brevo allows ~100 requests per hour; the fake's quota is scaled down to 10 per 2-second window.
const brevo = useFakeBrevo({ quota: { limit: 10, windowMs: 2000 } });

const send = { resource: 'automatedMessage', operation: 'send', visitorId: '={{ $json.visitorId }}', text: '={{ "order update " + $json.n }}' };
const items = Array.from({ length: 25 }, (_, n) => ({ visitorId: `visitor-${n}`, n }));

/** Wait until the fake's current window is over, so each test starts with a full quota. */
const nextWindow = () => new Promise((resolve) => setTimeout(resolve, 2100));

describe('rate limits: 25 sends through a quota of 10 per window', () => {
	beforeEach(nextWindow);

	test('Wait and Retry (default): all 25 delivered exactly once, in order of items', async () => {
		const { output, error } = await runNode({ parameters: send, input: items, credentials: brevo.credentials });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(25);
		expect(output.every((o) => !o.error)).toBe(true);
		expect(output.map((o) => o.json.visitorId)).toEqual(items.map((i) => i.visitorId));
		expect(output.map((o) => o.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));

		const stored = [...brevo.fake.messages.values()].filter((m) => m.isPushed).map((m) => m.visitorId);
		expect(stored).toHaveLength(25);
		expect(new Set(stored).size).toBe(25);
		// Every retry followed a 429, and at most the requests in flight (5) are refused per extra window.
		const refused = brevo.fake.requests.filter((r) => r.method === 'POST').length - 25;
		expect(refused).toBeGreaterThan(0);
		expect(refused).toBeLessThanOrEqual(2 * 5);
	});

	test('Fail: over-quota items come back as item errors naming the reset time, none sent twice', async () => {
		const { output, error } = await runNode({ parameters: { ...send, options: { onRateLimit: 'fail' } }, input: items, credentials: brevo.credentials, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(25);
		const failed = output.filter((o) => o.error);
		const delivered = output.filter((o) => !o.error);
		expect(delivered).toHaveLength(10);
		expect(failed).toHaveLength(15);
		for (const item of failed) expect(String(item.json.error)).toMatch(/^Too many requests: Brevo's rate limit is reached; the quota resets in [12] s \[item \d+\]$/);
		expect(brevo.fake.requests).toHaveLength(25);
		expect(new Set(brevo.fake.requests.map((r) => r.body.visitorId)).size).toBe(25);
	});

	test('Max Parallel Requests caps requests in flight', async () => {
		brevo.fake.clearRequests();
		const { output } = await runNode({ parameters: { ...send, options: { maxParallel: 1 } }, input: items.slice(0, 6), credentials: brevo.credentials });
		expect(output).toHaveLength(6);
		// With one request at a time, arrival order is item order.
		expect(brevo.fake.requests.map((r) => r.body.visitorId)).toEqual(items.slice(0, 6).map((i) => i.visitorId));
	});
});

describe('stopping the execution', () => {
	test('during a wait for the quota: the run ends at once, and nothing more is sent', async () => {
		// One request answered 429 with a reset 60 s away; the default Max Wait (120 s) would wait it out.
		brevo.fake.failNext(429, { code: 'too_many_requests', message: 'Too many requests' }, { headers: { 'x-sib-ratelimit-reset': '60' } });
		const storedBefore = brevo.fake.messages.size;
		let stoppedAt = 0;
		const started = Date.now();
		const { run, output } = await runNode({
			parameters: send,
			input: [items[0]],
			credentials: brevo.credentials,
			whileRunning: (cancel) => {
				const poll = setInterval(() => {
					if (brevo.fake.requests.length === 0 && Date.now() - started < 10_000) return;
					clearInterval(poll);
					// Well into the wait: the 429 has been answered and the node is sleeping.
					setTimeout(() => {
						stoppedAt = Date.now();
						cancel();
					}, 300);
				}, 20);
			},
		});
		expect(stoppedAt).toBeGreaterThan(0);
		expect(brevo.fake.requests).toHaveLength(1);
		expect(Date.now() - stoppedAt).toBeLessThan(2000);
		expect(run.status).toBe('canceled');
		expect(output).toEqual([]);
		expect(brevo.fake.messages.size).toBe(storedBefore);
		// The item's error is Brevo's 429, not a cancelled request sent after the wait.
		const nodeError = run.data.resultData.runData[NODE_NAME]?.[0]?.error as { httpCode?: string; message?: string } | undefined;
		expect(nodeError?.httpCode).toBe('429');
		expect(nodeError?.message).toBe("Execution canceled while waiting for Brevo's rate limit to reset; the request was not sent again [item 0]");
	});
});
