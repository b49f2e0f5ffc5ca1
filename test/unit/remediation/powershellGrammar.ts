// A reader for the part of PowerShell's grammar our command lines use, written from its
// tokenizer: verbatim strings open and close with any of ' U+2018 U+2019 U+201A U+201B, and
// two quote characters in a row stand for the second one; $NAME is a variable; anything else
// must be a plain word. pwsh is not installable here, so the PowerShell quoting is checked
// by reading the rendered line back with this.

const SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);
const PLAIN_WORD = /^[A-Za-z0-9][A-Za-z0-9-]*$|^--?[a-z][a-z0-9-]*$/;

export function readPowerShellArgs(line: string, variables: Record<string, string> = {}): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') { i++; continue; }
    const c = line[i];
    if (SINGLE_QUOTES.has(c)) {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated string in: ${line}`);
        if (SINGLE_QUOTES.has(line[i])) {
          if (i + 1 < line.length && SINGLE_QUOTES.has(line[i + 1])) { value += line[i + 1]; i += 2; continue; }
          i++;
          break;
        }
        value += line[i++];
      }
      if (i < line.length && line[i] !== ' ') throw new Error(`text right after a closing quote at ${i}: ${line}`);
      args.push(value);
      continue;
    }
    const end = line.indexOf(' ', i) === -1 ? line.length : line.indexOf(' ', i);
    const word = line.slice(i, end);
    i = end;
    if (word.startsWith('$')) {
      const name = word.slice(1);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || !(name in variables)) throw new Error(`unknown variable ${word}`);
      args.push(variables[name]);
    } else if (PLAIN_WORD.test(word)) {
      args.push(word);
    } else {
      throw new Error(`bare word with characters PowerShell would interpret: ${JSON.stringify(word)}`);
    }
  }
  return args;
}
