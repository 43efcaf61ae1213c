import type { OpOutput } from '@shared/api/contract';

export type { CreditNote } from '@shared/api/ops/counter-sales';
/** What counter.sale answers: the sale, its credit notes and what each line can still be refunded. */
export type OpOutputSale = OpOutput<'counter.sale'>;
