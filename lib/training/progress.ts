/**
 * Keras's progress bar (`keras.utils.Progbar`): during an epoch
 * ` 123/469 [=======>......................] - ETA: 8s - loss: 0.4132 - accuracy: 0.8712`,
 * rewritten in place on a terminal, and at its end one line with the time per step and the
 * validation metrics.
 */

/** Where progress goes: a terminal gets the live bar, anything else one line per epoch. */
export interface ProgressSink {
  write(text: string): void;
  readonly isTTY: boolean;
}

/** Keras's number format in logs: 4 decimals, or scientific notation for tiny values. */
export function formatLogValue(value: number): string {
  if (value !== 0 && Math.abs(value) < 1e-3) {
    const [mantissa = '0', exponent = '0'] = value.toExponential(4).split('e');
    const sign = exponent.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[-+]/, '').padStart(2, '0')}`;
  }
  return value.toFixed(4);
}

function formatEta(seconds: number): string {
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${s}s`;
}

function formatPerStep(seconds: number): string {
  if (seconds >= 1) return `${Math.round(seconds)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

function formatLogs(logs: Readonly<Record<string, number>>): string {
  return Object.entries(logs)
    .map(([name, value]) => ` - ${name}: ${formatLogValue(value)}`)
    .join('');
}

/** The bar part: ` 123/469 [=======>......................]`. */
export function formatBar(current: number, target: number, width = 30): string {
  const digits = String(target).length;
  let bar = `${String(current).padStart(digits)}/${target} [`;
  const filled = Math.floor((width * current) / target);
  if (filled > 0) bar += '='.repeat(filled - 1) + (current < target ? '>' : '=');
  bar += '.'.repeat(width - filled) + ']';
  return bar;
}

export class Progbar {
  private readonly started: number;
  private lastLength = 0;

  constructor(
    private readonly target: number,
    private readonly sink: ProgressSink,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** After each batch: redraws the bar on a terminal, nothing elsewhere. */
  update(current: number, logs: Readonly<Record<string, number>>): void {
    if (!this.sink.isTTY || current >= this.target) return;
    const elapsed = (this.now() - this.started) / 1000;
    const eta = current > 0 ? (elapsed / current) * (this.target - current) : 0;
    const line = ` ${formatBar(current, this.target)} - ETA: ${formatEta(eta)}${formatLogs(logs)}`;
    this.sink.write(`\r${line.padEnd(this.lastLength)}`);
    this.lastLength = line.length;
  }

  /** At the end of the epoch: the final line, validation metrics included. */
  finish(logs: Readonly<Record<string, number>>): void {
    const elapsed = (this.now() - this.started) / 1000;
    const line = ` ${formatBar(this.target, this.target)} - ${Math.round(elapsed)}s ${formatPerStep(elapsed / this.target)}${formatLogs(logs)}`;
    this.sink.write(`${this.sink.isTTY ? `\r${line.padEnd(this.lastLength)}` : line}\n`);
  }
}
