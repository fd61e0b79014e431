/**
 * Reading a secret on the command line without it ever being an argument (arguments are visible
 * to every user of the machine in the process list and stay in shell history): typed twice at a
 * prompt with no echo when stdin is a terminal, otherwise the first line of stdin, so a script
 * can pipe it (`printf '%s\n' "$PW" | npm run yiyang -- create-user ...`).
 */
export async function readNewPassword(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (input.isTTY) {
    const first = await promptHidden(input, output, 'Password / 密码: ');
    const second = await promptHidden(input, output, 'Repeat / 再次输入: ');
    if (first !== second) throw new Error('The two passwords differ / 两次输入的密码不一致');
    return first;
  }
  const line = await firstLine(input);
  if (!line) throw new Error('No password on stdin: type it at the prompt, or pipe it as the first line / 标准输入中没有密码');
  return line;
}

function promptHidden(input: NodeJS.ReadStream, output: NodeJS.WriteStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(prompt);
    let typed = '';
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    const done = (err: Error | null) => {
      input.off('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || (ch === '\u0004' && typed === '')) return done(new Error('Cancelled / 已取消'));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
  });
}

function firstLine(input: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = () => {
      input.off('data', onData);
      input.off('end', finish);
      input.pause();
      resolve(text.split('\n')[0]!.replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n') || text.length > 4096) finish();
    };
    input.on('data', onData);
    input.once('end', finish);
    input.once('error', reject);
    input.resume();
  });
}
