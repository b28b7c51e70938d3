import { InvalidFieldError, toEmailValue, toPathSegment, toReceivedFromValue, toTextValue } from '../../nodes/BrevoConversations/helpers/fieldValues';

const id = { required: true, trim: true };
const text = { required: true, trim: false };
const optional = { required: false, trim: true };

describe('toTextValue', () => {
	test('strings: IDs trimmed, text kept as written', () => {
		expect(toTextValue('  abc \n', 'Visitor ID', id)).toBe('abc');
		expect(toTextValue('  two\nlines ', 'Text', text)).toBe('  two\nlines ');
	});

	test('finite numbers and bigints become text', () => {
		expect(toTextValue(42, 'Visitor ID', id)).toBe('42');
		expect(toTextValue(0, 'Visitor ID', id)).toBe('0');
		expect(toTextValue(12345678901234567890n, 'Visitor ID', id)).toBe('12345678901234567890');
	});

	test.each([undefined, null, '', '   ', '\n\t'])('empty %p: an error when required, undefined (left out) when optional', (value) => {
		expect(() => toTextValue(value, 'Visitor ID', id)).toThrow(new InvalidFieldError('Visitor ID', 'Visitor ID is empty', ''));
		expect(toTextValue(value, 'Received From', optional)).toBeUndefined();
	});

	test.each([
		[{ id: 1 }, 'an object'],
		[['a'], 'a list'],
		[true, 'a boolean'],
		[Number.NaN, 'a number'],
		[Number.POSITIVE_INFINITY, 'a number'],
	])('%p is refused as %s, even for optional fields', (value, described) => {
		for (const rules of [id, optional]) {
			let thrown: unknown;
			try {
				toTextValue(value, 'Agent ID', rules);
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(InvalidFieldError);
			expect((thrown as InvalidFieldError).message).toBe(`Agent ID must be text, but the expression returned ${described}`);
			expect((thrown as InvalidFieldError).field).toBe('Agent ID');
			expect((thrown as InvalidFieldError).hint).toMatch(/^Map a single text value/);
		}
	});
});

describe('toEmailValue', () => {
	test('accepts an address, trimmed', () => {
		expect(toEmailValue(' jane@example.com ', 'Agent Email')).toBe('jane@example.com');
	});

	test.each(['jane', 'jane@', '@example.com', 'jane@example', 'ja ne@example.com'])('refuses %p', (value) => {
		expect(() => toEmailValue(value, 'Agent Email')).toThrow(`Agent Email is not an email address: "${value}"`);
	});
});

describe('toReceivedFromValue', () => {
	const optional = { required: false, trim: true };
	test('a label is trimmed; empty stays optional', () => {
		expect(toReceivedFromValue(' n8n-bot ', 'Received From', optional)).toBe('n8n-bot');
		expect(toReceivedFromValue('', 'Received From', optional)).toBeUndefined();
	});

	test('a comma is refused, naming the field and why', () => {
		let thrown: InvalidFieldError | undefined;
		try {
			toReceivedFromValue('bot, eu', 'Received From', optional);
		} catch (error) {
			thrown = error as InvalidFieldError;
		}
		expect(thrown).toBeInstanceOf(InvalidFieldError);
		expect(thrown?.message).toBe('Received From must not contain a comma: "bot, eu"');
		expect(thrown?.hint).toMatch(/separated by commas/);
	});
});

describe('toPathSegment', () => {
	test.each([
		['eYBEm3gq3zc5ayE2g', 'eYBEm3gq3zc5ayE2g'],
		['a/b', 'a%2Fb'],
		['x?y#z', 'x%3Fy%23z'],
		['100%', '100%25'],
		['with space', 'with%20space'],
		['...', '%2E%2E%2E'],
		['../x', '%2E%2E%2Fx'],
		['é😀', '%C3%A9%F0%9F%98%80'],
	])('%p → %p', (raw, encoded) => {
		expect(toPathSegment(raw, 'Message ID')).toBe(encoded);
	});

	test.each(['.', '..'])('refuses %p, which URL parsers resolve as a folder reference', (raw) => {
		expect(() => toPathSegment(raw, 'Message ID')).toThrow(`Message ID "${raw}" is not a valid ID`);
	});
});
