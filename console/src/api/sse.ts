/**
 * Server-sent events read from a fetch response (EventSource cannot sign its request): each
 * message's `event:` type and its `data:` lines joined, until the body ends or the signal aborts.
 */
export async function readEventStream(res: Response, on: (type: string, data: string) => void): Promise<void> {
  if (!res.body) throw new Error('no stream body');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) type = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) on(type, data.join('\n'));
    }
  }
}
