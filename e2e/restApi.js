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
 * n8n 2.8.4 reports ready before its REST routes answer (`Cannot POST /rest/login`), and the owner
 * routes may come up after the login route: a 404 (or 5xx) from either is retried (CI once got the setup
 * route's 404 and then the login route's 401 for an owner that did not exist yet).
 */
async function ownerSession(baseUrl) {
	const deadline = Date.now() + 60000;
	for (;;) {
		const setup = await call(baseUrl, undefined, 'POST', '/rest/owner/setup', OWNER);
		const notReady = setup.status === 404 || setup.status >= 500;
		let result = setup;
		if (setup.status !== 200 && !notReady) {
			result = await call(baseUrl, undefined, 'POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		}
		if (result.status === 200 && result.cookie) return sessionOf(baseUrl, result.cookie);
		if (!(notReady || result.status === 404) || Date.now() > deadline) {
			throw new Error(`could not log in to n8n (owner setup HTTP ${setup.status}, then HTTP ${result.status}): ${result.text.slice(0, 500)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

function sessionOf(baseUrl, cookie) {
	const json = async (method, path, body) => {
		const answer = await call(baseUrl, cookie, method, path, body);
		if (answer.status !== 200) throw new Error(`${method} ${path}: HTTP ${answer.status}: ${answer.text.slice(0, 1000)}`);
		const parsed = JSON.parse(answer.text);
		return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	};
	return { get: (path) => json('GET', path), post: (path, body) => json('POST', path, body) };
}

module.exports = { ownerSession };
