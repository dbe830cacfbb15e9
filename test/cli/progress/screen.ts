/**
 * A terminal, as far as the progress view drives one: text, newline (as a tty's
 * output translates it, back to column 0), carriage return, cursor up (CSI n A)
 * and erase below (CSI J). Anything else is an error, so a view that sends more
 * than it should is caught. `lines` is what the screen (with its scrollback) shows.
 */
export function screen(): { write(text: string): void; readonly lines: string[] } {
  const lines: string[] = [''];
  let [row, col] = [0, 0];
  const put = (c: string) => {
    const line = lines[row]!.padEnd(col);
    lines[row] = line.slice(0, col) + c + line.slice(col + 1);
    col++;
  };
  return {
    lines,
    write(text) {
      for (let i = 0; i < text.length; i++) {
        const c = text[i]!;
        if (c === '\n') {
          row++;
          col = 0;
          if (row === lines.length) lines.push('');
        } else if (c === '\r') col = 0;
        else if (c === '\x1b') {
          const m = /^\x1b\[(\d*)([AJ])/.exec(text.slice(i));
          if (!m) throw new Error(`unexpected escape ${JSON.stringify(text.slice(i, i + 8))}`);
          if (m[2] === 'A') row = Math.max(0, row - Number(m[1] || 1));
          else {
            lines[row] = lines[row]!.slice(0, col);
            lines.length = row + 1;
          }
          i += m[0].length - 1;
        } else put(c);
      }
    },
  };
}

/** The screen's lines without the empty one the cursor sits on after a final newline. */
export function shown(lines: readonly string[]): string[] {
  return lines.at(-1) === '' ? lines.slice(0, -1) : [...lines];
}
