import { sortedBy, useFakeBrevo } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

const brevo = useFakeBrevo();

const send = { resource: 'automatedMessage', operation: 'send', visitorId: '={{ $json.visitorId }}', text: '={{ $json.text }}' };

describe('Continue On Fail: N items in, N items out', () => {
	test('3 items, one invalid: 3 out in input order, the failing one carries its error, the others are delivered', async () => {
		const input = [{ visitorId: 'v-0', text: 'first' }, { visitorId: ' ', text: 'second' }, { visitorId: 'v-2', text: 'third' }];
		const { output, error } = await runNode({ parameters: send, input, credentials: brevo.credentials, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toMatchObject({ visitorId: 'v-0', text: 'first' });
		expect(output[1].json).toEqual({ error: 'Visitor ID is empty [item 1]' });
		expect(output[1].error?.message).toBe('Visitor ID is empty [item 1]');
		expect(output[2].json).toMatchObject({ visitorId: 'v-2', text: 'third' });
		expect(sortedBy(brevo.fake.requests, (r) => r.body.visitorId).map((r) => r.body.visitorId)).toEqual(['v-0', 'v-2']);
	});

	test('12 items mixing bad input, a Brevo 400 and a 500: 12 out, each failure on its own item, nothing sent twice', async () => {
		// The fake answers the first two requests that reach it with errors; which items those are
		// depends on arrival order, so the assertions follow the recorded requests.
		brevo.fake.failNext(400, { code: 'invalid_parameter', message: 'text is too long' });
		brevo.fake.failNext(500, { code: 'internal_error', message: 'Try again later' });
		const input = Array.from({ length: 12 }, (_, i) => ({ visitorId: i % 5 === 3 ? '' : `v-${i}`, text: `message ${i}` }));
		const { output, error } = await runNode({ parameters: send, input, credentials: brevo.credentials, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(12);
		expect(output.map((o) => o.pairedItem)).toEqual(input.map((_, i) => ({ item: i })));

		const invalid = input.flatMap((item, i) => (item.visitorId ? [] : [i]));
		expect(invalid).toEqual([3, 8]);
		for (const i of invalid) expect(output[i].json).toEqual({ error: `Visitor ID is empty [item ${i}]` });

		const sent = brevo.fake.requests.map((r) => r.body.visitorId);
		expect(sent).toHaveLength(10);
		expect(new Set(sent).size).toBe(10);
		const failedAtBrevo = output.flatMap((o, i) => (o.error && !invalid.includes(i) ? [i] : []));
		expect(failedAtBrevo).toHaveLength(2);
		const brevoErrors = failedAtBrevo.map((i) => String(output[i].json.error));
		expect(brevoErrors.map((m) => m.replace(/ \[item \d+\]$/, '')).sort()).toEqual(['Try again later', 'text is too long']);
		failedAtBrevo.forEach((i, n) => expect(brevoErrors[n].endsWith(`[item ${i}]`)).toBe(true));
		const delivered = output.filter((o) => !o.error);
		expect(delivered).toHaveLength(8);
		for (const item of delivered) expect(brevo.fake.messages.get(item.json.id as string)?.text).toBe(item.json.text);
	});
});

describe('without Continue On Fail', () => {
	test("the run stops with the failing item's index in the message", async () => {
		brevo.fake.failNext(404, { code: 'document_not_found', message: 'Message not found' });
		const { error, output } = await runNode({
			parameters: { resource: 'message', operation: 'get', messageId: '={{ $json.id }}' },
			input: [{ id: 'only-one' }],
			credentials: brevo.credentials,
		});
		expect(output).toEqual([]);
		expect(error?.message).toBe('Message not found [item 0]');

		const second = await runNode({ parameters: send, input: [{ visitorId: 'a', text: 'x' }, { visitorId: 'b', text: '' }], credentials: brevo.credentials });
		expect(second.error?.message).toBe('Text is empty [item 1]');
		expect((second.error?.context as { itemIndex?: number }).itemIndex).toBe(1);
	});
});
