import type { CoreServices } from '../core/core';
import type { CallContext, HandlerSlice } from '../core/router';
import { AuditService, type KnownPerson } from './audit-service';

type AuditOps = 'audit.list' | 'audit.entry' | 'audit.filterOptions' | 'audit.verify';

/** The signed-in person, whose name is known even before they have a users record. */
function viewer(ctx: CallContext): KnownPerson | undefined {
  return ctx.session ? { id: ctx.session.userId, name: ctx.session.name } : undefined;
}

export function auditHandlers(core: CoreServices): HandlerSlice<AuditOps> {
  const audit = new AuditService(core.store.db, core.store.sqlite, core.deviceId);
  return {
    'audit.list': (input, ctx) => audit.list(input, viewer(ctx)),
    'audit.entry': ({ id }, ctx) => audit.entry(id, viewer(ctx)),
    'audit.filterOptions': (_input, ctx) => audit.filterOptions(viewer(ctx)),
    'audit.verify': () => audit.verify(),
  };
}
