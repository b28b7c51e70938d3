import type { IWebhookFunctions } from 'n8n-workflow';
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

const bareHost = (host: string) => host.toLowerCase().replace(/^\[(.*)\]$/, '$1');

function ipv4Parts(host: string): number[] | undefined {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
	const numbers = parts.map(Number);
	return numbers.every((n) => n <= 255) ? numbers : undefined;
}

/** IPv4 ranges that are not the public internet (RFC 6890): this network, private, CGNAT, loopback, link-local, benchmarking, multicast and reserved. */
function isInternalIpv4([a, b]: number[]): boolean {
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		a >= 224 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		(a === 192 && b === 0) ||
		(a === 198 && (b === 18 || b === 19))
	);
}

function isInternalIpv6(host: string): boolean {
	if (host === '::' || host === '::1') return true;
	// IPv4-mapped (the URL parser writes ::ffff:7f00:1 for ::ffff:127.0.0.1)
	const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
	if (mapped) {
		const high = parseInt(mapped[1], 16);
		return isInternalIpv4([high >> 8, high & 255]);
	}
	const first = parseInt(host.split(':')[0] || '0', 16);
	// fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast
	return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
}

/**
 * Why the host is internal as written, or `undefined`. Without a DNS lookup (community nodes may
 * import nothing but n8n-workflow) a public-looking name that resolves to an internal address
 * cannot be seen here: n8n's own SSRF protection, where it exists, checks the resolved address.
 */
export function internalHostProblem(hostname: string): string | undefined {
	const host = bareHost(hostname);
	const v4 = ipv4Parts(host);
	if (v4) return isInternalIpv4(v4) ? `${host} is a private, loopback or link-local address` : undefined;
	if (host.includes(':')) return isInternalIpv6(host) ? `${host} is a private, loopback or link-local address` : undefined;
	if (host === 'localhost' || /\.(localhost|local|internal|home\.arpa)$/.test(host) || !host.includes('.')) {
		return `${host} is a local network name`;
	}
	return undefined;
}

/**
 * Why the link must not be fetched, or `undefined`. Where n8n offers its SSRF protection (n8n
 * ≥ 2.41: `getSecureEgressFilter`), it decides, resolved addresses included, and always, even on an
 * instance that has not turned it on for other nodes ('enforced'); its blocked and allowed ranges
 * and hostnames (N8N_SSRF_*) apply. Older n8n: the address as written is checked.
 */
export async function refusedFileAddress(ctx: IWebhookFunctions, url: URL, allowedHosts: string[]): Promise<string | undefined> {
	if (allowedHosts.includes(bareHost(url.hostname))) return undefined;
	const helpers = ctx.helpers as Partial<IWebhookFunctions['helpers']>;
	if (typeof helpers.getSecureEgressFilter === 'function') {
		const result = (await helpers.getSecureEgressFilter('enforced').validateUrl(url.toString())) as { ok: boolean; error?: Error };
		return result.ok ? undefined : `n8n's SSRF protection refuses this address (${result.error?.message ?? 'blocked'})`;
	}
	return internalHostProblem(url.hostname);
}
