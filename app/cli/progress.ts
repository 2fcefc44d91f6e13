/** A one-line progress indicator on stderr, shown only on a terminal and only once a run takes a while. */
export class ProgressLine {
  readonly #enabled: boolean;
  readonly #started = Date.now();
  #last = 0;
  #shown = false;

  constructor(enabled: boolean) {
    this.#enabled = enabled && process.stderr.isTTY === true;
  }

  update = (phase: string, done: number, total: number): void => {
    const now = Date.now();
    if (!this.#enabled || now - this.#started < 300 || (now - this.#last < 100 && done < total)) return;
    this.#last = now;
    this.#shown = true;
    process.stderr.write(`\r\x1b[K${phase}: ${done}/${total} files`);
  };

  done(): void {
    if (this.#shown) process.stderr.write("\r\x1b[K");
  }
}
