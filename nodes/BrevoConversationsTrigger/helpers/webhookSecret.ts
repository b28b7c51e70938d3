/**
 * Brevo signs nothing it posts, so the webhook URL carries a secret of the user's own as the
 * `token` query parameter (Brevo's webhook form takes a URL and nothing else: no headers).
 */
export const TOKEN_QUERY_PARAMETER = 'token';

/** Shorter secrets are refused when the workflow is activated: the URL is the only protection. */
export const MIN_SECRET_LENGTH = 16;

export type TokenCheck = 'ok' | 'missing' | 'wrong' | 'notConfigured';

/**
 * Compares in time that depends only on the expected secret's length, not on where the first
 * difference is, so response timing does not reveal the secret character by character.
 * (node:crypto's timingSafeEqual is not available to community nodes.)
 */
export function constantTimeEquals(provided: string, expected: string): boolean {
	let difference = provided.length ^ expected.length;
	for (let i = 0; i < expected.length; i++) {
		// Past the end of `provided`, charCodeAt gives NaN, which `|` and `^` treat as 0; the length
		// difference above already marks that case as unequal.
		difference |= expected.charCodeAt(i) ^ provided.charCodeAt(i);
	}
	return difference === 0;
}

/**
 * The token the caller sent: only a single string counts. n8n parses the query with `qs`, so
 * `?token=a&token=b` and `?token[]=a` are arrays and `?token[a]=b` is an object.
 */
export function tokenFromQuery(query: unknown): string | undefined {
	if (typeof query !== 'object' || query === null) return undefined;
	const token = (query as Record<string, unknown>)[TOKEN_QUERY_PARAMETER];
	return typeof token === 'string' && token !== '' ? token : undefined;
}

export function checkToken(provided: string | undefined, secret: unknown): TokenCheck {
	// Activation refuses such a secret; an expression can still turn empty later, and an empty
	// secret must never let a request through.
	if (typeof secret !== 'string' || secretProblem(secret) !== undefined) return 'notConfigured';
	if (provided === undefined) return 'missing';
	return constantTimeEquals(provided, secret) ? 'ok' : 'wrong';
}

/**
 * Why a token cannot protect the URL, or `undefined` when it can. `label` names it as the user
 * sees it: the credential's "token" (trigger version 2) or the node's "Secret" (version 1).
 */
export function secretProblem(secret: unknown, label = 'token'): string | undefined {
	if (typeof secret !== 'string' || secret === '') return `No ${label} is set`;
	if (secret.length < MIN_SECRET_LENGTH) {
		return `The ${label} has ${secret.length} characters; use at least ${MIN_SECRET_LENGTH}`;
	}
	if (secret !== encodeURIComponent(secret)) {
		// It goes into a URL as typed; characters that need escaping get mangled on the way.
		return `The ${label} may only contain letters, digits and - _ . ! ~ * ' ( )`;
	}
	return undefined;
}
