import { FakeBrevo } from '../fake-brevo/server';

export const API_KEY = 'xkeysib-test-0123456789';

/** Starts a fake Brevo for one test file and gives credentials pointing at it. */
export function useFakeBrevo(options: ConstructorParameters<typeof FakeBrevo>[0] = {}) {
	const fake = new FakeBrevo({ apiKey: API_KEY, ...options });
	const context = {
		fake,
		credentials: { apiKey: [options.apiKey ?? API_KEY].flat()[0], partnerKey: '', baseUrl: '' } as Record<string, string>,
	};
	beforeAll(async () => {
		context.credentials.baseUrl = await fake.start();
		if (options.partnerKey) context.credentials.partnerKey = options.partnerKey;
	});
	afterAll(async () => fake.stop());
	beforeEach(() => fake.clearRequests());
	return context;
}

/** Requests arrive in any order (n8n sends items concurrently); sort them for assertions. */
export function sortedBy<T>(list: T[], key: (t: T) => string): T[] {
	return [...list].sort((a, b) => key(a).localeCompare(key(b)));
}
