/**
 * Which addresses are not the public internet, as written: IPv4 and IPv6 ranges (with the IPv6
 * forms that carry an IPv4 address) and local network names. What the trigger checks a visitor
 * file's address with on n8n versions that have no SSRF egress filter of their own.
 */

/** The host as compared: lower case, without IPv6 brackets and without the trailing dot of a fully qualified name (`localhost.`). */
export const bareHost = (host: string) => host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');

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

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a trailing dotted IPv4 as two groups), or `undefined`. */
export function ipv6Groups(host: string): number[] | undefined {
	let text = host.replace(/%.*$/, ''); // a zone (fe80::1%eth0)
	const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted) {
		const v4 = ipv4Parts(dotted[2]);
		if (!v4) return undefined;
		text = `${dotted[1]}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
	}
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
	const head = groupsOf(halves[0]);
	const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
	const missing = 8 - head.length - tail.length;
	if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
	const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
	return groups.map((group) => parseInt(group, 16));
}

const embeddedIpv4 = (groups: number[]) => [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255];

/**
 * IPv6 that is not the public internet, including the forms that carry an IPv4 address inside:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4
 * (2002:aabb:ccdd::), each judged by the IPv4 address they reach.
 */
function isInternalIpv6(groups: number[]): boolean {
	const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
	if (zeros(0, 8) || (zeros(0, 7) && groups[7] === 1)) return true; // :: and ::1
	if (zeros(0, 5) && (groups[5] === 0xffff || groups[5] === 0)) return isInternalIpv4(embeddedIpv4(groups));
	if (groups[0] === 0x64 && groups[1] === 0xff9b) return groups[2] !== 0 || isInternalIpv4(embeddedIpv4(groups)); // 64:ff9b:1::/48 is local use
	if (groups[0] === 0x2002) return isInternalIpv4([groups[1] >> 8, groups[1] & 255]);
	const first = groups[0];
	// fc00::/7 unique local, fe80::/10 link-local, fec0::/10 site-local (deprecated, still routed inside some networks), ff00::/8 multicast
	return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0 || (first & 0xff00) === 0xff00;
}

/**
 * Why the host is internal as written, or `undefined`. Without a DNS lookup (community nodes may
 * import nothing but n8n-workflow) a public-looking name that resolves to an internal address
 * cannot be seen here: on older n8n the address the download's connection reached is checked too (fileAddress.ts).
 */
export function internalHostProblem(hostname: string): string | undefined {
	const host = bareHost(hostname);
	const v4 = ipv4Parts(host);
	if (v4) return isInternalIpv4(v4) ? `${host} is a private, loopback or link-local address` : undefined;
	if (host.includes(':')) {
		const groups = ipv6Groups(host);
		return groups === undefined || isInternalIpv6(groups) ? `${host} is a private, loopback or link-local address` : undefined;
	}
	if (host === 'localhost' || /\.(localhost|local|internal|home\.arpa)$/.test(host) || !host.includes('.')) {
		return `${host} is a local network name`;
	}
	return undefined;
}
