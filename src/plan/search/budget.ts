import type { ResolvedSearch } from '../../config/resolved.js';
import type { History, Proposal } from './strategy.js';

/** What a search spends: trials (configurations x repeats), or epochs of training over all of them. */
export interface Spend {
  readonly trials: number;
  readonly epochs: number;
}

/** What one proposal costs: a new configuration `repeats` trials; epochs beyond those of the suggestion it continues, for each repeat. */
export function proposalCost(p: Proposal, history: History, repeats: number): Spend {
  const before = p.continues == null ? 0 : history.suggestions[p.continues]?.epochs ?? 0;
  return { trials: p.continues == null ? repeats : 0, epochs: (p.epochs - before) * repeats };
}

/** What the journal's suggestions have committed, running ones included. */
export function spent(history: History, repeats: number): Spend {
  return history.suggestions.reduce((sum, s) => {
    const c = proposalCost(s, history, repeats);
    return { trials: sum.trials + c.trials, epochs: sum.epochs + c.epochs };
  }, { trials: 0, epochs: 0 });
}

/** Whether the budget affords a proposal on top of what is spent (no budget: always). */
export function affordable(budget: ResolvedSearch['budget'], history: History, repeats: number): (p: Proposal) => boolean {
  const used = spent(history, repeats);
  return (p) => {
    const cost = proposalCost(p, history, repeats);
    if (budget?.trials != null) return used.trials + cost.trials <= budget.trials;
    if (budget?.epochs != null) return used.epochs + cost.epochs <= budget.epochs;
    return true;
  };
}

/** The budget as the progress view counts it: its unit, total and how much is used. */
export function budgetUse(budget: ResolvedSearch['budget'], history: History, repeats: number): { unit: 'trials' | 'epochs'; total: number; used: number } | undefined {
  const used = spent(history, repeats);
  if (budget?.trials != null) return { unit: 'trials', total: budget.trials, used: used.trials };
  if (budget?.epochs != null) return { unit: 'epochs', total: budget.epochs, used: used.epochs };
  return undefined;
}
