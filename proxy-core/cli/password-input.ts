// Reading a password for `portico passwd`: typed twice without echo on a terminal, or the
// first line of stdin when it is a pipe (scripts, tests). Never from the command line,
// where it would land in the shell history and the process list.
import { CliError } from './errors.js';

/** One line typed with echo off; Ctrl+C aborts, Backspace edits. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new CliError('cancelled'));
        if (char === '\u0004') return typed === '' ? finish(new CliError('cancelled')) : finish();
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    // Asked only once echo is off: a password typed the moment the prompt shows stays hidden.
    process.stderr.write(question);
    stdin.on('data', onData);
    stdin.resume();
  });
}

async function readFirstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin.setEncoding('utf8')) {
    text += chunk as string;
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

export async function readNewPassword(user: string, host: string): Promise<string> {
  let password: string;
  if (process.stdin.isTTY) {
    password = await promptHidden(`New password for ${user} on ${host}: `);
    if (password !== '' && (await promptHidden('Type it again: ')) !== password) throw new CliError('the two passwords differ; nothing changed');
  } else {
    password = await readFirstLine();
  }
  if (password === '') throw new CliError('the password is empty; nothing changed');
  return password;
}
