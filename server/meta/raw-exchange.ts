import type { Dispatcher } from 'undici';

/** An answer as it came: status, `Content-Type` (if any) and the body's bytes. */
export interface RawAnswer {
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

const CONTENT_TYPE = 'content-type';

/** The first `Content-Type` among undici's raw `[name, value, …]` header list. */
function contentTypeOf(rawHeaders: (Buffer | string)[]): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === CONTENT_TYPE.length && name.toString().toLowerCase() === CONTENT_TYPE) {
      return rawHeaders[i + 1]!.toString();
    }
  }
  return undefined;
}

/**
 * One HTTP exchange through undici's dispatcher, the answer collected as bytes. This is
 * `request()` without what the Graph client never uses: a Readable stream and an AsyncResource
 * per call, and an object of every response header (only `Content-Type` is read). On the
 * messaging proxy's hot path those were the largest part of undici's cost (issue 14,
 * docs/benchmarks.md). Rejects with undici's error (connection, `headersTimeout`,
 * `bodyTimeout`) when no complete answer arrives.
 */
export function exchangeRaw(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let contentType: string | undefined;
    const chunks: Buffer[] = [];
    dispatcher.dispatch(options, {
      onConnect() {},
      onHeaders(statusCode, rawHeaders) {
        // A 1xx answer before the real one is overwritten by it.
        status = statusCode;
        contentType = contentTypeOf(rawHeaders);
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        resolve({ status, contentType, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
      },
      onError(err) {
        reject(err);
      },
    });
  });
}
