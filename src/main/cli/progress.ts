/**
 * A progress line for long CLI tasks: redrawn in place on a terminal, one line per
 * 10% step when output goes to a file or CI log.
 */
export function progressLine(label: string, stream: NodeJS.WriteStream = process.stderr): { update(done: number, total: number): void; done(): void } {
  const started = Date.now();
  let lastStep = -1;
  return {
    update(done, total) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
      const text = `${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${pct}%, ${Math.round(rate).toLocaleString('en')}/s)`;
      if (stream.isTTY) stream.write(`\r${text}\x1b[K`);
      else if (Math.floor(pct / 10) !== lastStep) {
        lastStep = Math.floor(pct / 10);
        stream.write(`${text}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
