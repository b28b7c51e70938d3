import type { IWebhookFunctions } from 'n8n-workflow';
import { bareHost, internalHostProblem } from './internalAddress';
import { commaSeparated } from './webhookEvent';

/**
 * Whether a visitor file link may be fetched. Anyone who learns the webhook token can post an event
 * whose "file" points at a cloud metadata address or an internal service, and downloading it would
 * hand that service's answer to the workflow. So private, loopback and link-local targets are
 * refused unless the user allowed the host (a self-hosted file server).
 */

/** "files.example.com, 10.0.0.5" → ['files.example.com', '10.0.0.5'] (lower case, brackets of IPv6 removed) */
export function parseHostList(value: unknown): string[] {
	return commaSeparated(value).map(bareHost).filter((host) => host !== '');
}

/** How to request a file link: the URL to connect to and what the request must say for the named host. */
export interface FileTarget {
	/** The link itself, or with its host replaced by the address n8n checked (pinned) */
	url: URL;
	/** The named host (and port) for the Host header of a pinned request */
	hostHeader?: string;
	/** The named host for TLS (SNI and the certificate check) of a pinned https request */
	servername?: string;
	/** Older n8n: the address the connection reached is checked when the response shows it */
	checkConnection: boolean;
}

interface LookupResult {
	address: string;
	family?: number;
}

type SecureLookup = (hostname: string, options: object, done: (error: Error | null, address: string, family?: number) => void) => void;

function lookUp(lookup: SecureLookup, hostname: string): Promise<LookupResult> {
	return new Promise((resolve, reject) => lookup(hostname, {}, (error, address, family) => (error ? reject(error) : resolve({ address, family }))));
}

/**
 * How to fetch the link, or why it must not be. Allowed hosts are fetched as they are. Where n8n
 * offers its SSRF protection (n8n ≥ 2.41: `getSecureEgressFilter`), it resolves the name and
 * decides, always, even on an instance that has not turned it on for other nodes ('enforced');
 * its blocked and allowed ranges and hostnames (N8N_SSRF_*) apply; and the request then goes to
 * that very address. Resolving once to check and again to connect would let a name answer a
 * public address first and an internal one second (DNS rebinding). Older n8n: the address as
 * written is checked here, and the address the connection reached after (refusedConnection).
 */
export async function fileTarget(ctx: IWebhookFunctions, url: URL, allowedHosts: string[]): Promise<FileTarget | { refused: string }> {
	if (allowedHosts.includes(bareHost(url.hostname))) return { url, checkConnection: false };
	const helpers = ctx.helpers as Partial<IWebhookFunctions['helpers']>;
	if (typeof helpers.getSecureEgressFilter !== 'function') {
		const problem = internalHostProblem(url.hostname);
		return problem === undefined ? { url, checkConnection: true } : { refused: problem };
	}
	const lookup = helpers.getSecureEgressFilter('enforced').createSecureLookup() as unknown as SecureLookup;
	let resolved: LookupResult;
	try {
		resolved = await lookUp(lookup, url.hostname.replace(/^\[(.*)\]$/, '$1'));
	} catch (error) {
		return { refused: `n8n's SSRF protection refuses this address (${error instanceof Error ? error.message : String(error)})` };
	}
	const pinned = new URL(url);
	pinned.hostname = resolved.address.includes(':') ? `[${resolved.address}]` : resolved.address;
	if (pinned.hostname === url.hostname) return { url, checkConnection: false };
	return { url: pinned, hostHeader: url.host, servername: url.protocol === 'https:' ? bareHost(url.hostname) : undefined, checkConnection: false };
}

/** The IPv4 address of an IPv4-mapped socket address (`::ffff:127.0.0.1`, how a dual-stack socket reports IPv4), else the address. */
const unmapped = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

/**
 * Older n8n: why the download must not be read from the connection it got, or `undefined`. The name
 * was checked as written; the address the connection reached shows where it really led. Unknown
 * when n8n's response hides the socket (then the check as written stands).
 */
export function refusedConnection(remoteAddress: string | undefined): string | undefined {
	if (remoteAddress === undefined) return undefined;
	const problem = internalHostProblem(unmapped(remoteAddress));
	return problem === undefined ? undefined : `the name led to ${problem}`;
}
