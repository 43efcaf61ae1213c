// Generated from the contract: every operation declares a permission, and a caller
// without it is refused by the core. A new operation without a permission, or one the
// router lets through, fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, OP_NAMES } from '@shared/api/contract';
import { PERMISSIONS, ROLES, roleHas } from '@shared/auth/permissions';
import type { OperationDef } from '@shared/api/operation';
import { startTestCore, type TestCore } from './test-core';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => {
  await t.close();
});

describe('permissions (every operation of the contract)', () => {
  for (const op of OP_NAMES) {
    const def = contract[op] as OperationDef;
    it(`${op} declares a permission and refuses callers without it`, async () => {
      expect(PERMISSIONS).toContain(def.permission);
      if (def.permission === 'public') return;
      // Nobody signed in: refused before the input is even looked at.
      const anonymous = await t.core.router.call(op, {}, t.ctx(null));
      expect(anonymous).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      for (const role of ROLES.filter((r) => !roleHas(r, def.permission))) {
        const result = await t.core.router.call(op, {}, t.ctx(role));
        expect(result, `${role} calling ${op}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    });
  }

  it('public operations are the deliberate few', () => {
    const publicOps = OP_NAMES.filter((op) => (contract[op] as OperationDef).permission === 'public').sort();
    expect(publicOps).toEqual(
      ['auth.setup', 'auth.signIn', 'auth.signInChoices', 'auth.signOut', 'auth.state', 'people.redeemInvitation', 'system.ping', 'system.status'].sort(),
    );
  });
});
