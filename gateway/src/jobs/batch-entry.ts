/** One item of a batch body as parsed, before it is checked against the issue-request schema. */
export interface BatchEntry {
  /** 0-based position: the array index, or the NDJSON line number − 1 (blank lines are skipped, not renumbered). */
  readonly index: number;
  /** 1-based line of the body where the item starts. */
  readonly line: number;
  readonly value: unknown;
}

/** Limits a batch body is read under; exceeding one stops reading and answers 413 with nothing written. */
export interface BatchLimits {
  /** Most items in one request. */
  readonly maxItems: number;
  /** Most bytes in one request body. */
  readonly maxBytes: number;
  /** Most bytes in one item (array element or NDJSON line). */
  readonly maxItemBytes: number;
}

/** An incremental parser of a batch body: fed decoded text as it arrives, it yields the items at the end. */
export interface BatchBodyParser {
  push(text: string): void;
  /** @throws the parser's typed error if the body ended in the middle of something */
  end(): BatchEntry[];
}
