/**
 * The handshakes the member account sees (DESIGN §8, rule invitation-open): a
 * direct transfer accepts an OPEN INVITE from the target organization. Read as
 * the member (ListHandshakesForAccount answers for the caller's own account),
 * only when the run asks for it (`collect({ handshakes: true })`: check
 * --transfer-to and transfer). A handshake AWS describes without its id,
 * action or state makes the whole field absent rather than partly read.
 */
import {
  OrganizationsClient,
  paginateListHandshakesForAccount,
  type Handshake,
} from '@aws-sdk/client-organizations';
import type { HandshakeRecord } from '../../snapshot/types.js';
import { allPages, problem } from '../errors.js';
import { accountSource } from './types.js';

/** The account in a handshake ARN (`arn:aws:organizations::<management>:handshake/...`). */
function arnAccount(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account === undefined || account === '' ? undefined : account;
}

function record(h: Handshake): HandshakeRecord {
  if (h.Id === undefined || h.Action === undefined || h.State === undefined)
    throw problem(
      'IncompleteHandshake',
      `a handshake without ${h.Id === undefined ? 'Id' : h.Action === undefined ? 'Action' : 'State'} (${h.Arn ?? 'no ARN'})`,
    );
  const organizationId = h.Parties?.find((p) => p.Type === 'ORGANIZATION')?.Id;
  const email = h.Resources?.find((r) => r.Type === 'MASTER_EMAIL')?.Value;
  const requestedBy = email ?? arnAccount(h.Arn);
  return {
    id: h.Id,
    ...(h.Arn !== undefined && { arn: h.Arn }),
    action: h.Action,
    state: h.State,
    ...(organizationId !== undefined && { organizationId }),
    ...(requestedBy !== undefined && { requestedBy }),
    ...(h.RequestedTimestamp !== undefined && {
      requestedTimestamp: h.RequestedTimestamp.toISOString(),
    }),
    ...(h.ExpirationTimestamp !== undefined && {
      expirationTimestamp: h.ExpirationTimestamp.toISOString(),
    }),
  };
}

export default accountSource({
  id: 'organizations:ListHandshakesForAccount',
  scope: 'account',
  vantage: 'member',
  field: 'handshakes',
  onRequest: 'handshakes',
  operations: ['organizations:ListHandshakesForAccount'],
  async collect(ctx) {
    const handshakes = await allPages(
      paginateListHandshakesForAccount({ client: ctx.client(OrganizationsClient) }, {}),
      (p) => p.Handshakes,
    );
    return { value: handshakes.map(record) };
  },
});
