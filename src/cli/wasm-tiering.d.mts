/** Types for wasm-tiering.mjs (plain JavaScript: the model's thread imports it too). */
export const CLI_WASM_TIERING_BUDGET: number;
export function raiseWasmTieringBudget(budget?: number): void;
