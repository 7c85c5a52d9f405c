/**
 * JSON text from a user's file (a profile, a --rates run document), parsed with a nesting limit:
 * a document nested 100,000 deep is refused in one line before any recursive walk over it could
 * overflow the stack (which would look like a bug in neuromesh, exit 3).
 */

/** Deeper than any profile or run document neuromesh reads or writes. */
export const MAX_JSON_DEPTH = 200;

/** The deepest nesting of objects and arrays in a JSON text (strings skipped), stopping past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: skip to its closing quote
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** The parsed value, or a one-line reason why the text is not (acceptable) JSON. */
export function parseJsonText(text: string, limit = MAX_JSON_DEPTH): { value: unknown } | { error: string } {
  if (jsonDepth(text, limit) > limit) return { error: `it is nested more than ${limit} levels deep` };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: (e instanceof Error ? e.message : String(e)).split('\n')[0]! };
  }
}
