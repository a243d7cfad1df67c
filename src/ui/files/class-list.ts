/** Parses a class-list file: a JSON array of names, or one name per line. */
export function parseClassList(text: string, fileName: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      throw new Error(`${fileName}: not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
      throw new Error(`${fileName}: expected a JSON array of class names.`);
    }
    return parsed;
  }
  const lines = trimmed.split(/\r?\n/).map((l) => l.trim());
  if (lines.length === 0 || lines.every((l) => l === '')) throw new Error(`${fileName}: the class list is empty.`);
  return lines;
}
