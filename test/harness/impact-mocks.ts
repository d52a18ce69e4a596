/**
 * aws-sdk-client-mock stubs for the clients of the impact sources (DESIGN §7)
 * answering "read, none": no StackSets, no Identity Center instance, no
 * Account Factory products, no RAM shares, no Savings Plans. Unit tests of
 * other parts of collection install them so that no call leaves the process.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { RAMClient } from '@aws-sdk/client-ram';
import { SavingsplansClient } from '@aws-sdk/client-savingsplans';
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';

function stubs() {
  return {
    cloudformation: mockClient(CloudFormationClient),
    ssoAdmin: mockClient(SSOAdminClient),
    serviceCatalog: mockClient(ServiceCatalogClient),
    ram: mockClient(RAMClient),
    savingsPlans: mockClient(SavingsplansClient),
  };
}

export type ImpactMocks = ReturnType<typeof stubs> & {
  /** Resets every stub to "read, none" (an empty page of every list). */
  reset(): void;
};

/** Call once per test file (module level); `reset()` in beforeEach. */
export function impactMocks(): ImpactMocks {
  const m = stubs();
  return {
    ...m,
    reset() {
      // One by one: the stubs' types do not unify.
      m.cloudformation.reset().onAnyCommand().resolves({});
      m.ssoAdmin.reset().onAnyCommand().resolves({});
      m.serviceCatalog.reset().onAnyCommand().resolves({});
      m.ram.reset().onAnyCommand().resolves({});
      m.savingsPlans.reset().onAnyCommand().resolves({});
    },
  };
}
