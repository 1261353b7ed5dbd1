import assert from 'node:assert/strict';
import { formatImportSummary, LISTED_FAILURES, type FinishedPart } from '@certhub/gateway/dist/cli/import-summary';
import {
  ProgressDisplay,
  RateMeter,
  formatCount,
  renderProgressBar,
  renderProgressText,
} from '@certhub/gateway/dist/cli/progress';
import { failedItem, issuedItem, jobOf, type JobView } from './fake-job-gateway';

describe('import progress and summary rendering', () => {
  describe('renderProgressBar', () => {
    it('draws the brief’s example: filled cells, counts with separators, percentage and rate', () => {
      assert.equal(
        renderProgressBar({ processed: 1500, total: 5000, perSecond: 412 }, 10),
        '[###.......] 1,500/5,000 30% 412/s',
      );
    });
    it('fills a cell only when its share is done, and says 100% only at the end', () => {
      assert.equal(
        renderProgressBar({ processed: 4999, total: 5000, perSecond: 1000.4 }, 10),
        '[#########.] 4,999/5,000 99% 1,000/s',
      );
      assert.equal(renderProgressBar({ processed: 5000, total: 5000, perSecond: 0 }, 4), '[####] 5,000/5,000 100% 0/s');
    });
    it('leaves the rate out until it is known, copes with an empty job and never overflows', () => {
      assert.equal(renderProgressBar({ processed: 0, total: 0, perSecond: undefined }, 5), '[.....] 0/0 0%');
      assert.equal(renderProgressBar({ processed: 7, total: 5, perSecond: undefined }, 5), '[#####] 7/5 100%');
      assert.equal(renderProgressBar({ processed: 3, total: 9, perSecond: undefined }).length, 32 + ' 3/9 33%'.length);
    });
    it('renders the line form without the bar', () => {
      assert.equal(
        renderProgressText({ processed: 1234567, total: 2000000, perSecond: 20512.6 }),
        '1,234,567/2,000,000 61% 20,513/s',
      );
      assert.equal(formatCount(0), '0');
    });
  });

  describe('RateMeter', () => {
    it('knows no rate from one sample, then items per second over the window', () => {
      const meter = new RateMeter(10_000);
      assert.equal(meter.add(0, 0), undefined);
      assert.equal(meter.add(1_000, 400), 400);
      assert.equal(meter.add(2_000, 1_000), 500);
    });
    it('forgets samples older than the window, so a stall shows as a falling rate', () => {
      const meter = new RateMeter(10_000);
      meter.add(0, 0);
      meter.add(5_000, 1_000);
      meter.add(10_000, 2_000);
      // Window [5 s, 15 s]: 1,000 items in 10 s, where the whole-run average would still say 133/s.
      assert.equal(meter.add(15_000, 2_000), 100);
      assert.equal(meter.add(26_000, 2_000), 0);
    });
  });

  describe('ProgressDisplay', () => {
    it('writes a plain line at most every interval off a terminal, and always the final one', () => {
      let out = '';
      const display = new ProgressDisplay((text) => (out += text), {
        tty: false,
        label: 'import j:',
        lineEveryMs: 5_000,
      });
      display.update(0, 100, 0);
      display.update(10, 100, 1_000);
      display.update(40, 100, 4_999);
      display.update(50, 100, 5_000);
      display.update(70, 100, 7_000);
      display.finish(100, 100, 8_000);
      assert.equal(out, 'import j: 0/100 0%\n' + 'import j: 50/100 50% 10/s\n' + 'import j: 100/100 100% 13/s\n');
    });
    it('redraws one bar in place on a terminal and ends its line once', () => {
      let out = '';
      const display = new ProgressDisplay((text) => (out += text), { tty: true, label: 'x', barWidth: 4 });
      display.update(0, 4, 0);
      display.update(2, 4, 1_000);
      display.finish(4, 4, 2_000);
      assert.equal(out, '\r[....] 0/4 0%\x1b[K' + '\r[##..] 2/4 50% 2/s\x1b[K' + '\r[####] 4/4 100% 2/s\x1b[K\n');
    });
  });

  describe('formatImportSummary', () => {
    /** One finished part, its failed items taken from the job. */
    const part = (job: JobView, firstIndex = 0, where = 'items 0–1'): FinishedPart => ({
      firstIndex,
      where,
      job,
      failedItems: job.items.filter((item) => item.status === 'FAILED'),
    });

    it('lists failed items by index for JSON and by line for NDJSON', () => {
      const job = jobOf('COMPLETED', [issuedItem(0), failedItem(1, 'ALREADY_EXISTS', 'number 7 is issued')]);
      assert.equal(
        formatImportSummary([part(job)], 'json'),
        'job job-1: COMPLETED, 1 issued, 1 failed, 2 items\nfailed items:\n  #1: ALREADY_EXISTS: number 7 is issued\n',
      );
      assert.match(formatImportSummary([part(job)], 'ndjson'), /^ {2}#1 \(line 2\): ALREADY_EXISTS/m);
    });
    it('adds each part’s place in the file and the totals when there are several', () => {
      const first = jobOf('COMPLETED', [issuedItem(0), issuedItem(1)], 'a');
      const second = jobOf('COMPLETED', [issuedItem(0), failedItem(1, 'X', 'y')], 'b');
      assert.equal(
        formatImportSummary([part(first, 0, 'lines 1–2'), part(second, 2, 'lines 3–4')], 'ndjson'),
        'job a: COMPLETED, 2 issued, 0 failed, 2 items (lines 1–2)\n' +
          'job b: COMPLETED, 1 issued, 1 failed, 2 items (lines 3–4)\n' +
          'total: 3 issued, 1 failed, 4 items in 2 jobs\n' +
          'failed items:\n' +
          '  #3 (line 4): X: y\n',
      );
    });
    it(`lists the first ${LISTED_FAILURES} failures and counts the rest`, () => {
      const items = Array.from({ length: LISTED_FAILURES + 25 }, (_, i) => failedItem(i, 'VALIDATION_FAILED', 'x'));
      const text = formatImportSummary([part(jobOf('COMPLETED', items))], 'json');
      assert.equal(text.split('\n').filter((line) => line.startsWith('  #')).length, LISTED_FAILURES);
      assert.match(text, /… and 25 more \(--json lists every item\)\n$/);
    });
    it('says so when the gateway counts more failures than it listed', () => {
      const job = { ...jobOf('COMPLETED', [failedItem(0, 'X', 'y')]), failed: 3 };
      assert.match(formatImportSummary([part(job)], 'json'), /\(the gateway counts 3 failed items but listed 1\)\n$/);
    });
  });
});
