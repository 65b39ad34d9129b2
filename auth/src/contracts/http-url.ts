const AUTHORITY = /^https?:(?:\/\/)?([^/?#]*)/i;
const USER_INFO = /^(?:[^:@]+(?::[^:@]*)?|:[^:@]+)$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const LABEL = /^(?!-)[a-z0-9\u00a1-\uffff-]{1,63}(?<!-)$/i;
const TOP_LEVEL =
  /^(?:[a-z\u00a1-\u00a8\u00aa-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]{2,}|xn[a-z0-9-]{2,})$/i;

/** A domain name with a top-level domain, or an IPv4 address written out in full (isFQDN, isIP). */
function isHostName(host: string): boolean {
  if (IPV4.test(host)) return true;
  const labels = host.split('.');
  return (
    labels.length >= 2 &&
    TOP_LEVEL.test(labels.at(-1)!) &&
    labels.every((label) => LABEL.test(label) && !/[\uff01-\uff5e]/.test(label))
  );
}

/**
 * An absolute http(s) URL, as validator.js' isURL (gone with express-validator) took an avatar:
 * URL parses it, and its host as written (URL would mend a short IPv4 address, or turn a unicode
 * name into punycode) is a domain name or an IP address. Whitespace and angle brackets are
 * refused anywhere.
 */
export function isHttpUrl(value: string): boolean {
  // After `http:` without slashes, isURL read a digit as the start of a port, and refused it.
  if (/[\s<>]/.test(value) || /^https?:\d/i.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.port === '0') return false;
  const authority = AUTHORITY.exec(value)?.[1] ?? '';
  const at = authority.lastIndexOf('@');
  if (at >= 0 && !USER_INFO.test(authority.slice(0, at))) return false;
  const host = authority.slice(at + 1);
  // URL has checked the port, and an IPv6 address.
  return host.startsWith('[')
    ? url.hostname.startsWith('[')
    : isHostName(host.replace(/:\d*$/, ''));
}
