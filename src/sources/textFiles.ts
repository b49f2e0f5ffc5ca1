// Text files as people save them: UTF-8 with or without a byte order mark, or UTF-16 (what
// Windows PowerShell 5's `>` and Out-File write). Shared by evidence, IaC and settings files.

/** Strips a UTF-8 byte order mark and decodes UTF-16 (what Windows PowerShell 5's `>` writes). */
export function decodeTextBytes(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return stripBom(bytes.toString('utf8'));
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
