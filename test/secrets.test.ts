import { describe, expect, it } from '@jest/globals';
import { errorMessage } from '../src/collect/errors.js';
import { memoizeCredentials } from '../src/collect/client-pool.js';
import { mapLeaveError } from '../src/execute/errors-map.js';
import { printable } from '../src/text.js';

describe('credentials never reach output', () => {
  it('values of resolved credentials are redacted from AWS messages, terminal text and mapped errors', async () => {
    const creds = {
      accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKENVALUE0123456789',
    };
    await memoizeCredentials(() => Promise.resolve(creds))();
    const echoed = new Error(
      `bad request; headers were x-amz-security-token: ${creds.sessionToken}, Credential=${creds.accessKeyId}/20261201`,
    );
    for (const text of [
      errorMessage(echoed),
      printable(echoed.message),
      mapLeaveError(echoed, '222222222222').message,
    ]) {
      expect(text).not.toContain(creds.sessionToken);
      expect(text).not.toContain(creds.accessKeyId);
      expect(text).toContain('[redacted]');
    }
  });
});
