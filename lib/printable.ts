// Text from a submission (a file name, a value quoted in a message) made safe to print on one line
// of a terminal or a gradebook: no control character can start a forged line, move the cursor back
// over a verdict or start a spreadsheet formula.

/**
 * `text` with every control character (C0, DEL and C1: line breaks, carriage returns, escape
 * sequences) written as a visible `\xNN` escape, and every invisible formatting character (zero
 * widths, bidirectional overrides and isolates, the byte-order mark) as `\u{NNNN}`, so that one
 * printed line stays one line, reads in the order it is stored, and shows what was really there.
 */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g,
    (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u{${code.toString(16).padStart(4, '0')}}`;
    },
  );
}

/**
 * A CSV field for a gradebook: printable, a text that a spreadsheet would read as a formula
 * (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) prefixed with `'`, and quoted
 * when it holds a comma or a quote, as RFC 4180 says.
 */
export function csvField(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const text = printable(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
  return /[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The most characters of a file's own text that a message quotes. */
export const excerptLength = 80;

/**
 * At most `excerptLength` characters of text from a file, printable, for a message to quote: a
 * name or value megabytes long is cut with an ellipsis and its length said, never echoed whole.
 */
export function excerpt(text: string): string {
  if (text.length <= excerptLength) return printable(text);
  return `${printable(text.slice(0, excerptLength))}… (${text.length.toLocaleString('en')} characters)`;
}
