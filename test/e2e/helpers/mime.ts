/** Decodes RFC 2047 encoded words in a header value ("=?UTF-8?Q?Caf=C3=A9?=" → "Café"). */
export function decodeHeader(value: string): string {
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
  const joined = value.replace(/(\?=)\s+(=\?)/g, '$1$2');
  return joined.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
    const bytes =
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          );
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  });
}

/** The bare address of a To/From value: "Ada <ada@example.com>" → "ada@example.com". */
export function addressOf(value: string): string {
  const m = /<([^>]+)>/.exec(value);
  return (m?.[1] ?? value).trim().toLowerCase();
}
