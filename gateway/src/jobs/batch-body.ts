import type { Request } from 'express';
import type { BatchBodyParser, BatchEntry, BatchLimits } from './batch-entry';
import {
  BatchBodyTooLargeError,
  MalformedBatchJsonError,
  MalformedNdjsonError,
  UnsupportedBatchMediaError,
} from './errors';
import { JsonArrayParser } from './json-array-parser';
import { NdjsonParser } from './ndjson-parser';

export type BatchBodyFormat = 'json' | 'ndjson';

/** The media types POST /v1/licenses/batch takes, and which parser reads each. */
const FORMATS: Readonly<Record<string, BatchBodyFormat>> = {
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
};

/** The batch format named by a Content-Type header. @throws UnsupportedBatchMediaError */
export function batchFormatOf(contentType: string | undefined): BatchBodyFormat {
  const [essence = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim());
  const format = FORMATS[essence.toLowerCase()];
  if (format === undefined) {
    throw new UnsupportedBatchMediaError(
      `a batch is sent as application/json (an array) or application/x-ndjson (one request a line), not ${
        essence === '' ? 'a body without Content-Type' : essence
      }`,
      { contentType: essence },
    );
  }
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=').map((part) => part.trim().toLowerCase());
    if (name === 'charset' && value.replace(/"/g, '') !== 'utf-8') {
      throw new UnsupportedBatchMediaError('a batch body must be UTF-8', { charset: value });
    }
  }
  return format;
}

function parserFor(format: BatchBodyFormat, limits: BatchLimits): BatchBodyParser {
  return format === 'json' ? new JsonArrayParser(limits) : new NdjsonParser(limits);
}

/**
 * Reads a batch body as it streams in, handing decoded text to the format's parser chunk by chunk, and stops at the
 * first limit crossed (bytes, items, item size) or malformed item, without holding more of the body than one item.
 * After an early stop the rest of the body is drained unread, so the client still receives the error response.
 * @throws UnsupportedBatchMediaError, BatchBodyTooLargeError, BatchTooLargeError, BatchItemTooLargeError,
 *   MalformedBatchJsonError or MalformedNdjsonError (each naming the line)
 */
export async function readBatchBody(req: Request, limits: BatchLimits): Promise<BatchEntry[]> {
  const format = batchFormatOf(req.get('content-type'));
  const encoding = req.get('content-encoding');
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    throw new UnsupportedBatchMediaError(`a batch body must not be compressed (${encoding})`, { encoding });
  }
  const declared = Number(req.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limits.maxBytes) throw bodyTooLarge(limits);
  const parser = parserFor(format, limits);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    const stop = (error: unknown): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      // Keep reading what the client still sends, into nothing, so it is not cut off before it hears why.
      req.resume();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const decode = (chunk: Buffer | undefined): string => {
      try {
        return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        const message = 'the batch body is not valid UTF-8';
        throw format === 'json' ? new MalformedBatchJsonError(message) : new MalformedNdjsonError(message);
      }
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      try {
        if (received > limits.maxBytes) throw bodyTooLarge(limits);
        parser.push(decode(chunk));
      } catch (error) {
        stop(error);
      }
    };
    const onEnd = (): void => {
      req.off('data', onData);
      req.off('close', onClose);
      try {
        parser.push(decode(undefined));
        resolve();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const onError = (error: Error): void => {
      stop(error);
    };
    const onClose = (): void => {
      // Closed before the end: the client went away mid-body; there is nobody to answer.
      if (!req.readableEnded) stop(new Error('the client closed the connection before the batch body ended'));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
  return parser.end();
}

function bodyTooLarge(limits: BatchLimits): BatchBodyTooLargeError {
  return new BatchBodyTooLargeError(`the batch body is larger than ${limits.maxBytes} bytes`, {
    limit: limits.maxBytes,
  });
}
