import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method: string;
  /** path and query, sent exactly as given */
  target: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * Percent-encodes like encodeURIComponent, but never throws: a lone surrogate is sent as the three
 * bytes a careless encoder would produce (e.g. `%ED%A0%80`), which is exactly what a fuzzer wants.
 */
export function encodeLoose(text: string): string {
  let out = '';
  for (const ch of text) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      const code = ch.charCodeAt(0);
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
        .join('');
    }
  }
  return out;
}

export function queryString(query: [string, string][]): string {
  if (query.length === 0) return '';
  return '?' + query.map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`).join('&');
}

/** One request over a real socket (the server's HTTP parser included), with a deadline. */
export async function send(baseUrl: string, request: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  try {
    return await sendOnce(baseUrl, request, timeoutMs, agent);
  } catch (error) {
    // A kept-alive socket the server had just closed (it closes after a client error such as 431):
    // the client's race, not the server's fault. Once more on a fresh connection.
    if (!/socket hang up|ECONNRESET/.test(String((error as Error).message))) throw error;
    return sendOnce(baseUrl, request, timeoutMs, false);
  }
}

function sendOnce(
  baseUrl: string,
  request: RawRequest,
  timeoutMs: number,
  via: http.Agent | false,
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.target,
        agent: via,
        headers: { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
