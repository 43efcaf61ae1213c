// Pure domain logic of the shop counter, shared by the UI (live totals) and the core
// (authoritative recomputation at finalise, day close, insights).
export * from './errors';
export { amountText, quantityText, percentText } from './format';
export * from './totals';
export * from './payments';
export * from './credit-note';
export * from './invoice-number';
export * from './denominations';
export * from './day-close';
export * from './expense-rules';
export * from './insights';
export * from './credit-balance';
export * from './reminders';
