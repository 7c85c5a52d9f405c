/** Control characters (C0, DEL, C1): never allowed into a diagnostic, which must stay one line. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function hasControl(s: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(s);
}

/** A string from a file, safe to quote in a one-line diagnostic: control characters escaped, long text cut. */
export function printable(s: string, max = 80): string {
  const esc = s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return esc.length > max ? `${esc.slice(0, max)}…` : esc;
}
