/** What every built-in architecture is built from. */
export interface ArchitectureOptions {
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
  /** MobileNet's width multiplier. */
  readonly alpha?: number;
}
