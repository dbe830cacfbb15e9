/** Which part of an e-mail is its text: the body, the subject line and the body, or the whole message. */
export type EmailPart = 'body' | 'subject+body' | 'all';

/** Where the headers end: the first blank line (RFC 5322), \n or \r\n. */
const BLANK_LINE = /\r?\n\r?\n/;

/** The headers and the body of a raw message; a message without a blank line is all headers. */
export function splitEmail(message: string): { headers: string; body: string } {
  const end = BLANK_LINE.exec(message);
  if (!end) return { headers: message, body: '' };
  return { headers: message.slice(0, end.index), body: message.slice(end.index + end[0].length) };
}

/** The Subject header's value, its folded continuation lines joined by a space; '' when there is none. */
export function subjectOf(headers: string): string {
  const lines = headers.split(/\r?\n/);
  const at = lines.findIndex((l) => /^subject:/i.test(l));
  if (at < 0) return '';
  const parts = [lines[at]!.slice('subject:'.length)];
  for (let i = at + 1; i < lines.length && /^[ \t]/.test(lines[i]!); i++) parts.push(lines[i]!);
  return parts.map((p) => p.trim()).filter((p) => p !== '').join(' ');
}

/**
 * The part of a raw e-mail (headers, a blank line, the body) a classifier reads.
 * Nothing is decoded: MIME parts, quoted-printable, base64 and HTML stay as sent.
 */
export function emailText(message: string, part: EmailPart): string {
  if (part === 'all') return message;
  const { headers, body } = splitEmail(message);
  if (part === 'body') return body;
  const subject = subjectOf(headers);
  return subject === '' ? body : `${subject}\n${body}`;
}
