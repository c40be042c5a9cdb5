import { DockyardError } from '@dockyard/errors';
import { signV4, type AwsCredentials } from './sigv4';

export const EC2_API_VERSION = '2016-11-15';

export interface Ec2Endpoint {
  region: string;
  /** Default `https://ec2.<region>.amazonaws.com`; another for a compatible endpoint (or a test's). */
  endpoint?: string;
  credentials: AwsCredentials;
}

/** Query parameters, flattened as the EC2 query protocol wants them (`Filter.1.Name`, `Filter.1.Value.1`, …). */
export type Ec2Params = Record<string, string>;

/** The text of every `<tag>…</tag>` in `xml` (EC2 answers are flat enough for this). */
export function xmlValues(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!);
}

export function xmlValue(xml: string, tag: string): string | undefined {
  return xmlValues(xml, tag)[0];
}

/** A minimal EC2 client: signed (SigV4) POSTs of the query protocol, XML answers, errors with AWS's code. */
export class Ec2Client {
  readonly url: URL;

  constructor(private readonly endpoint: Ec2Endpoint) {
    this.url = new URL(endpoint.endpoint ?? `https://ec2.${endpoint.region}.amazonaws.com/`);
  }

  async call(action: string, params: Ec2Params = {}): Promise<string> {
    const body = new URLSearchParams({ Action: action, Version: EC2_API_VERSION, ...params }).toString();
    const headers = signV4({
      method: 'POST',
      url: this.url,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
      region: this.endpoint.region,
      service: 'ec2',
      credentials: this.endpoint.credentials,
      date: new Date(),
    });
    let response: Response;
    try {
      response = await fetch(this.url, { method: 'POST', headers, body });
    } catch (err) {
      throw new DockyardError(`EC2 ${action} at ${this.url.host} could not be sent`, {
        code: 'EC2_UNREACHABLE',
        cause: err,
      });
    }
    const text = await response.text();
    if (!response.ok)
      throw new DockyardError(
        `EC2 ${action} at ${this.url.host}: ${xmlValue(text, 'Code') ?? `HTTP ${response.status}`}: ${xmlValue(text, 'Message') ?? text.slice(0, 200)}`,
        { code: 'EC2_REFUSED' },
      );
    return text;
  }
}
