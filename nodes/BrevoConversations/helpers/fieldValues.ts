/**
 * Turning parameter values (typed in, or produced by expressions) into the strings Brevo expects.
 * Pure functions: the hooks wrap their errors into n8n errors that carry the item index.
 */

/** A value the user must fix before anything is sent; `field` is the display name they see. */
export class InvalidFieldError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'InvalidFieldError';
	}
}

export interface TextRules {
	/** Empty (or whitespace-only) is an error rather than "leave the field out" */
	required: boolean;
	/** IDs are trimmed (a pasted ID often carries a space or newline); message text is sent as typed */
	trim: boolean;
}

function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Returns the value to send, or `undefined` for an optional field left empty (Brevo must not receive
 * `""`). Numbers from expressions are accepted as text: `{{ $json.orderId }}` is often numeric.
 */
export function toTextValue(raw: unknown, field: string, rules: TextRules): string | undefined {
	let text: string;
	if (raw === undefined || raw === null || raw === '') {
		text = '';
	} else if (typeof raw === 'string') {
		text = rules.trim ? raw.trim() : raw;
	} else if ((typeof raw === 'number' && Number.isFinite(raw)) || typeof raw === 'bigint') {
		text = String(raw);
	} else {
		throw new InvalidFieldError(
			field,
			`${field} must be text, but the expression returned ${describeType(raw)}`,
			`Map a single text value, e.g. {{ $json.visitor.id }} rather than {{ $json.visitor }}`,
		);
	}
	if (text.trim() === '') {
		if (!rules.required) return undefined;
		throw new InvalidFieldError(
			field,
			`${field} is empty`,
			`Enter a value for ${field} or map one from a previous node; an expression that resolves to nothing leaves it empty`,
		);
	}
	return text;
}

/** Brevo takes the agent's email as the agent's identity; a typo silently creates a "dummy agent". */
export function toEmailValue(raw: unknown, field: string): string {
	const email = toTextValue(raw, field, { required: true, trim: true }) as string;
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
		throw new InvalidFieldError(
			field,
			`${field} is not an email address: "${email}"`,
			'Use the email address the agent signs in to Brevo with, e.g. jane@example.com',
		);
	}
	return email;
}

/**
 * A Received From label. A Brevo Conversations Trigger takes its Ignore Received From and Handover
 * Received From lists as comma-separated labels, so a label holding a comma could never be matched.
 */
export function toReceivedFromValue(raw: unknown, field: string, rules: TextRules): string | undefined {
	const label = toTextValue(raw, field, rules);
	if (label?.includes(',')) {
		throw new InvalidFieldError(
			field,
			`${field} must not contain a comma: "${label}"`,
			'A Brevo Conversations Trigger lists the labels to ignore or hand over separated by commas, so a label with a comma could never match there. Use e.g. a hyphen instead: n8n-bot-eu',
		);
	}
	return label;
}

/**
 * Percent-encodes an ID as one path segment, so that it can only ever name that ID.
 * `encodeURIComponent` leaves `.` alone, and URL parsers treat `.`/`..` (even as `%2E%2E`) as
 * "this/parent folder", so an ID of `..` would reach `/conversations/` instead: such IDs are refused.
 */
export function toPathSegment(id: string, field: string): string {
	if (id === '.' || id === '..') {
		throw new InvalidFieldError(
			field,
			`${field} "${id}" is not a valid ID`,
			'Brevo IDs are letters and digits, e.g. eYBEm3gq3zc5ayE2g; check what the expression returns',
		);
	}
	return encodeURIComponent(id).replace(/\./g, '%2E');
}
