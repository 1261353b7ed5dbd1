/*
 * Progress of a bulk import on stderr: on a terminal, one bar redrawn in place
 * (`[#########.....................] 1,500/5,000 30% 412/s`); in a log or pipe, a plain line every few seconds, so a
 * CI log gets a readable trail instead of thousands of carriage returns.
 */

export interface ProgressState {
  readonly processed: number;
  readonly total: number;
  /** Items per second over the recent window; undefined until two samples exist. */
  readonly perSecond: number | undefined;
}

export const formatCount = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `1,500/5,000 30% 412/s`: the percentage rounds down, so 100% means every item is done. */
export function renderProgressText(state: ProgressState): string {
  const percent = state.total > 0 ? Math.floor((Math.min(state.processed, state.total) * 100) / state.total) : 0;
  const rate = state.perSecond === undefined ? '' : ` ${formatCount(state.perSecond)}/s`;
  return `${formatCount(state.processed)}/${formatCount(state.total)} ${percent}%${rate}`;
}

/** `[#####.....] 1,500/5,000 30% 412/s` with `width` cells; a cell fills only when its share is fully done. */
export function renderProgressBar(state: ProgressState, width = 30): string {
  const done = state.total > 0 ? Math.min(state.processed, state.total) / state.total : 0;
  const filled = Math.floor(done * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${renderProgressText(state)}`;
}

/** Items per second over a sliding window of samples (a whole-run average would hide a stall). */
export class RateMeter {
  private readonly samples: { at: number; processed: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  add(atMs: number, processed: number): number | undefined {
    this.samples.push({ at: atMs, processed });
    // Keep one sample at or beyond the window's edge, so the window is always spanned.
    while (this.samples.length > 2 && (this.samples[1]?.at ?? atMs) <= atMs - this.windowMs) this.samples.shift();
    const first = this.samples[0];
    if (first === undefined || atMs <= first.at) return undefined;
    return Math.max(0, ((processed - first.processed) * 1000) / (atMs - first.at));
  }
}

export interface ProgressDisplayOptions {
  /** Draw a bar redrawn in place (stderr is a terminal) rather than plain lines. */
  readonly tty: boolean;
  /** Prefix of plain lines, e.g. `import job-42:`. */
  readonly label: string;
  /** Least time between two plain lines; the first and the final state are always written. */
  readonly lineEveryMs?: number;
  readonly barWidth?: number;
}

export class ProgressDisplay {
  private readonly rate = new RateMeter();
  private lastLineAt: number | undefined;
  private readonly lineEveryMs: number;

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: ProgressDisplayOptions,
  ) {
    this.lineEveryMs = options.lineEveryMs ?? 5_000;
  }

  update(processed: number, total: number, nowMs: number): void {
    const state = { processed, total, perSecond: this.rate.add(nowMs, processed) };
    if (this.options.tty) {
      // \r back to the line start, \x1b[K clears what a longer previous render left behind.
      this.write(`\r${renderProgressBar(state, this.options.barWidth)}\x1b[K`);
      return;
    }
    if (this.lastLineAt !== undefined && nowMs - this.lastLineAt < this.lineEveryMs) return;
    this.lastLineAt = nowMs;
    this.write(`${this.options.label} ${renderProgressText(state)}\n`);
  }

  /** The final state, always shown; on a terminal it also ends the bar's line. */
  finish(processed: number, total: number, nowMs: number): void {
    const state = { processed, total, perSecond: this.rate.add(nowMs, processed) };
    if (this.options.tty) this.write(`\r${renderProgressBar(state, this.options.barWidth)}\x1b[K\n`);
    else this.write(`${this.options.label} ${renderProgressText(state)}\n`);
  }
}
