'use strict';
/**
 * n8n's internal REST API (what its editor calls), for e2e tests that need what only the editor
 * does: testing a credential, listing the node types n8n loaded.
 *
 *   const api = await ownerSession(baseUrl)   sets up the owner account (a fresh n8n) or logs in
 *   await api.post('/rest/credentials/test', body) → parsed JSON `data`; api.get(path) likewise
 *
 * n8n ties its auth cookie to a `browser-id` header, so every call sends the same one.
 */
const OWNER = { email: 'e2e-owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2e-owner-password-1' };
const BROWSER_ID = 'brevo-e2e-browser';

async function call(baseUrl, cookie, method, path, body) {
	const response = await fetch(`${baseUrl}${path}`, {
		method,
		headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, text, cookie: response.headers.get('set-cookie')?.split(';')[0] };
}

/**
 * The owner's session on a fresh n8n home: owner setup (n8n 1.x and 2.x), or login when it exists.
 * n8n 2.8.4 reports ready before its REST routes answer (`Cannot POST /rest/login`): retried while 404.
 */
async function ownerSession(baseUrl) {
	let result;
	const deadline = Date.now() + 60000;
	do {
		if (result) await new Promise((resolve) => setTimeout(resolve, 500));
		result = await call(baseUrl, undefined, 'POST', '/rest/owner/setup', OWNER);
		if (result.status !== 200) {
			result = await call(baseUrl, undefined, 'POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		}
	} while (result.status === 404 && Date.now() < deadline);
	if (result.status !== 200 || !result.cookie) throw new Error(`could not log in to n8n (HTTP ${result.status}): ${result.text.slice(0, 500)}`);
	const { cookie } = result;
	const json = async (method, path, body) => {
		const answer = await call(baseUrl, cookie, method, path, body);
		if (answer.status !== 200) throw new Error(`${method} ${path}: HTTP ${answer.status}: ${answer.text.slice(0, 1000)}`);
		const parsed = JSON.parse(answer.text);
		return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	};
	return { get: (path) => json('GET', path), post: (path, body) => json('POST', path, body) };
}

module.exports = { ownerSession };
