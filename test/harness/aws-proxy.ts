/**
 * A loopback HTTP proxy in front of moto for tests and the benchmark.
 *
 * The SDK is pointed at it through AWS_ENDPOINT_URL(_<SERVICE>). It forwards
 * every request to moto except the operations that have a handler (keys like
 * `organizations:LeaveOrganization`, `account:GetContactInformation`), records
 * every call (service:Operation, caller access key id, time), can add latency
 * per call and can answer a number of calls with throttling errors so retry
 * behaviour is observable. It never talks to anything but `target`.
 */
import { request as httpRequest, createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The wire protocols of the services leavegate calls. */
export type AwsProtocol = 'json' | 'query' | 'rest-json';

/** One request as the proxy understood it. */
export interface ProxyRequest {
  /** Signing name from the SigV4 credential scope: organizations, sts, iam, account, support. */
  service: string;
  /** PascalCase operation name, e.g. `ListAccountsForParent`. */
  operation: string;
  /** `service:Operation`. */
  key: string;
  protocol: AwsProtocol;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Access key id of the SigV4 signature (tells management from member calls). */
  accessKeyId: string | undefined;
  /**
   * The account the caller's credentials belong to, when they came from an
   * sts:AssumeRole the proxy forwarded (member sessions); undefined otherwise.
   */
  callerAccountId: string | undefined;
  /** Query-protocol form parameters (Action, RoleArn, ...). */
  params: Record<string, string>;
  /** Parsed JSON body for the JSON protocols (undefined when empty or not JSON). */
  json: unknown;
}

/** What a handler answers instead of moto. */
export interface ProxyResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
}

/** Answers a request, or returns undefined to forward it to moto after all. */
export type ProxyHandler = (
  req: ProxyRequest,
) => ProxyResponse | undefined | Promise<ProxyResponse | undefined>;

/** Answer some calls with throttling (or 5xx) errors. */
export interface ThrottleOptions {
  /** How many matching calls to throttle (the first ones), in total. */
  count: number;
  /** Only these `service:Operation` keys (default: every call). */
  operations?: string[];
  /** Only calls signed with this access key id. */
  accessKeyId?: string;
  /** 400 (default, TooManyRequestsException / Throttling) or a 5xx status. */
  status?: number;
}

/** A recorded call. */
export interface ProxyCall {
  key: string;
  service: string;
  operation: string;
  accessKeyId: string | undefined;
  /** See ProxyRequest.callerAccountId. */
  callerAccountId: string | undefined;
  /** Date.now() when the request arrived. */
  time: number;
  status: number;
  /** Time to answer, added latency included. */
  durationMs: number;
  handled: boolean;
  throttled: boolean;
}

export interface AwsProxyOptions {
  /** moto's base URL, e.g. http://127.0.0.1:5000. */
  target: string;
  handlers?: Record<string, ProxyHandler>;
  /** Added to every call before it is answered. */
  latencyMs?: number;
  throttle?: ThrottleOptions;
  /**
   * Access key id -> account id for credentials not issued through the proxy
   * (e.g. the seeded management session). With it, and for every session
   * assumed through the proxy, requests carry moto's `x-moto-account-id`
   * header: moto then routes them without scanning every account's keys,
   * which otherwise costs it milliseconds per call in large organizations.
   */
  accounts?: Record<string, string>;
  /**
   * Rewrites moto's JSON answer for these `service:Operation` keys before it
   * is sent on (for what moto answers but cannot be told, e.g. an account
   * that joined days ago: moto stamps JoinedTimestamp with its own clock).
   */
  rewrite?: Record<string, (body: Record<string, unknown>) => unknown>;
  /**
   * The same for the XML (query protocol) answers, e.g. moto's
   * cloudformation:DescribeStackSet, which never carries AutoDeployment.
   */
  rewriteXml?: Record<string, (xml: string, req: ProxyRequest) => string>;
}

export interface AwsProxy {
  url: string;
  calls: ProxyCall[];
  /** Calls with this key (or every call when omitted). */
  count(key?: string): number;
  /** Replace the throttling budget (e.g. between test phases). */
  setThrottle(throttle: ThrottleOptions | undefined): void;
  setLatency(ms: number): void;
  /** The account of credentials issued by an AssumeRole that went through the proxy. */
  accountOf(accessKeyId: string | undefined): string | undefined;
  close(): Promise<void>;
}

const JSON_TARGET_SERVICES: Record<string, string> = {
  AWSOrganizationsV20161128: 'organizations',
  AWSSupport_20130415: 'support',
};

// Signing names that differ from the SDK's service id, which the collector's call counts use.
const SERVICE_IDS: Record<string, string> = {
  sso: 'sso-admin',
  servicecatalog: 'service-catalog',
};

// REST-JSON paths that are not the operation name with a lower-case initial.
const REST_OPERATIONS: Record<string, string> = {
  getresourceshares: 'GetResourceShares',
  getresourceshareassociations: 'GetResourceShareAssociations',
};

function signingInfo(headers: IncomingHttpHeaders): { accessKeyId?: string; service?: string } {
  const auth = headers.authorization;
  if (typeof auth !== 'string') return {};
  const m = /Credential=([^/,\s]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth);
  return m === null ? {} : { accessKeyId: m[1]!, service: SERVICE_IDS[m[2]!] ?? m[2]! };
}

/** The body as JSON, or undefined when it is empty or not JSON. */
function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function identify(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Omit<ProxyRequest, 'method' | 'path' | 'headers' | 'body' | 'callerAccountId'> {
  const signing = signingInfo(headers);
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) {
    const [prefix, operation] = target.split('.', 2) as [string, string];
    const service = signing.service ?? JSON_TARGET_SERVICES[prefix] ?? prefix.toLowerCase();
    return {
      service,
      operation,
      key: `${service}:${operation}`,
      protocol: 'json',
      accessKeyId: signing.accessKeyId,
      params: {},
      json: parseJsonBody(body),
    };
  }
  const contentType = String(headers['content-type'] ?? '');
  const query = new URL(path, 'http://x').searchParams;
  const form =
    contentType.includes('x-www-form-urlencoded') && body.length > 0
      ? new URLSearchParams(body.toString('utf8'))
      : query;
  const action = form.get('Action') ?? query.get('Action');
  if (action !== null) {
    const params: Record<string, string> = {};
    for (const [k, v] of form) params[k] = v;
    const service = signing.service ?? 'unknown';
    return {
      service,
      operation: action,
      key: `${service}:${action}`,
      protocol: 'query',
      accessKeyId: signing.accessKeyId,
      params,
      json: undefined,
    };
  }
  // REST-JSON (the Account API): POST /getContactInformation -> GetContactInformation.
  const segment = new URL(path, 'http://x').pathname.split('/').filter(Boolean)[0] ?? '';
  const operation =
    REST_OPERATIONS[segment.toLowerCase()] ?? segment.charAt(0).toUpperCase() + segment.slice(1);
  const service = signing.service ?? 'unknown';
  return {
    service,
    operation,
    key: `${service}:${operation}`,
    protocol: 'rest-json',
    accessKeyId: signing.accessKeyId,
    params: {},
    json: parseJsonBody(body),
  };
}

/** A JSON-protocol success response. */
export function jsonResponse(body: unknown, status = 200): ProxyResponse {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body };
}

/**
 * An AWS error in the shape the request's protocol expects, so the SDK
 * raises it with `name === code`.
 */
export function awsError(
  req: Pick<ProxyRequest, 'protocol'>,
  code: string,
  message: string,
  status = 400,
): ProxyResponse {
  if (req.protocol === 'query') {
    const type = status >= 500 ? 'Receiver' : 'Sender';
    return {
      status,
      headers: { 'content-type': 'text/xml' },
      body:
        `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code>` +
        `<Message>${message}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>`,
    };
  }
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
    body: { __type: code, message, Message: message },
  };
}

function throttleResponse(req: ProxyRequest, status: number): ProxyResponse {
  if (status >= 500)
    return awsError(req, 'ServiceUnavailableException', 'Service unavailable', status);
  return awsError(
    req,
    req.protocol === 'query' ? 'Throttling' : 'TooManyRequestsException',
    'Rate exceeded',
    400,
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: ProxyResponse): number {
  const status = answer.status ?? 200;
  const body =
    typeof answer.body === 'string' || Buffer.isBuffer(answer.body)
      ? answer.body
      : answer.body === undefined
        ? ''
        : JSON.stringify(answer.body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': 'proxy',
    ...answer.headers,
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
  return status;
}

function forward(
  target: URL,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  accountId: string | undefined,
  rewrite?: (body: Record<string, unknown>) => unknown,
  rewriteXml?: (xml: string) => string,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: IncomingHttpHeaders = {
      ...req.headers,
      host: target.host,
      'content-length': String(body.length),
    };
    if (accountId !== undefined) headers['x-moto-account-id'] = accountId;
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
      },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          let answer = Buffer.concat(chunks);
          if (rewrite !== undefined && up.statusCode === 200 && answer.length > 0) {
            answer = Buffer.from(
              JSON.stringify(
                rewrite(JSON.parse(answer.toString('utf8')) as Record<string, unknown>),
              ),
            );
          }
          if (rewriteXml !== undefined && up.statusCode === 200 && answer.length > 0) {
            answer = Buffer.from(rewriteXml(answer.toString('utf8')));
          }
          const outHeaders = { ...up.headers };
          delete outHeaders['transfer-encoding'];
          outHeaders['content-length'] = String(answer.length);
          res.writeHead(up.statusCode ?? 502, outHeaders);
          res.end(answer);
          resolve({ status: up.statusCode ?? 502, body: answer });
        });
        up.on('error', reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

/** Starts the proxy on a free loopback port. */
export async function startAwsProxy(options: AwsProxyOptions): Promise<AwsProxy> {
  const target = new URL(options.target);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
    throw new Error(`aws-proxy: target must be on loopback, got ${options.target}`);
  }
  const handlers = options.handlers ?? {};
  const calls: ProxyCall[] = [];
  // Access keys issued by AssumeRole -> the account of the assumed role.
  const keyAccounts = new Map<string, string>(Object.entries(options.accounts ?? {}));
  let latencyMs = options.latencyMs ?? 0;
  let throttle = options.throttle === undefined ? undefined : { ...options.throttle };

  const server = createServer((req, res) => {
    void (async () => {
      const time = Date.now();
      const body = await readBody(req);
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const info = identify(method, path, req.headers, body);
      const callerAccountId =
        info.accessKeyId === undefined ? undefined : keyAccounts.get(info.accessKeyId);
      const preq: ProxyRequest = {
        ...info,
        callerAccountId,
        method,
        path,
        headers: req.headers,
        body,
      };
      const call: ProxyCall = {
        key: info.key,
        service: info.service,
        operation: info.operation,
        accessKeyId: info.accessKeyId,
        callerAccountId,
        time,
        status: 0,
        durationMs: 0,
        handled: false,
        throttled: false,
      };
      calls.push(call);
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      if (
        throttle !== undefined &&
        throttle.count > 0 &&
        (throttle.operations === undefined || throttle.operations.includes(info.key)) &&
        (throttle.accessKeyId === undefined || throttle.accessKeyId === info.accessKeyId)
      ) {
        throttle.count -= 1;
        call.throttled = true;
        call.status = send(res, throttleResponse(preq, throttle.status ?? 400));
        call.durationMs = Date.now() - time;
        return;
      }
      const handler = handlers[info.key];
      const answer = handler === undefined ? undefined : await handler(preq);
      if (answer !== undefined) {
        call.handled = true;
        call.status = send(res, answer);
        call.durationMs = Date.now() - time;
        return;
      }
      const answered = await forward(
        target,
        req,
        body,
        res,
        callerAccountId,
        options.rewrite?.[info.key],
        options.rewriteXml?.[info.key] === undefined
          ? undefined
          : (xml) => options.rewriteXml![info.key]!(xml, preq),
      );
      call.status = answered.status;
      call.durationMs = Date.now() - time;
      if (info.key === 'sts:AssumeRole' && answered.status === 200) {
        const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(answered.body.toString('utf8'))?.[1];
        const account = /^arn:[^:]+:iam::(\d{12}):/.exec(info.params.RoleArn ?? '')?.[1];
        if (key !== undefined && account !== undefined) keyAccounts.set(key, account);
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
      }
      res.end(`aws-proxy: ${String(err)}`);
    });
  });
  // The SDK keeps connections alive; many concurrent callers need no backlog limits.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    count: (key) => (key === undefined ? calls.length : calls.filter((c) => c.key === key).length),
    setThrottle: (t) => {
      throttle = t === undefined ? undefined : { ...t };
    },
    accountOf: (accessKeyId) =>
      accessKeyId === undefined ? undefined : keyAccounts.get(accessKeyId),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err === undefined ? resolve() : reject(err)));
      }),
  };
}
