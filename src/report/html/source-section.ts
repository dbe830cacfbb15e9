import { CHANCE_NOTE, chanceLines, SOURCE_COLUMNS, sourceTable } from '../../results/chance-lines.js';
import type { SourceScores } from '../../results/manifest.js';
import type { EmbeddingsSourceMeta, EmbeddingsStats } from '../../models/embedding-weights.js';
import type { PointSummary } from '../../results/summary.js';
import { table } from './detail-tables.js';
import { esc } from './escape.js';

/** What ended at chance, above everything else: a run that learned nothing must not read as a tie. */
export function chanceBox(summary: readonly PointSummary[], sources: readonly SourceScores[]): string {
  const lines = chanceLines(summary, sources);
  if (lines.length === 0) return '';
  return `<div class="chance" id="at-chance" role="alert"><strong>Nothing learned: these models are not above chance</strong>
<ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul><small>${esc(CHANCE_NOTE)}</small></div>`;
}

const value = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '-' : v.toFixed(3));

/** The word vectors the sources started from, and how much of their training texts they cover. */
function embeddingsTable(rows: readonly { readonly what: string; readonly stats: EmbeddingsStats }[]): string {
  if (rows.length === 0) return '';
  const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
  return table('embeddings-table', ['source', 'vectors (sha256)', 'dimensions', 'vocabulary', 'with a vector', 'tokens covered'],
    rows.map(({ what, stats: s }) => [what, `${s.format} ${s.sha256.slice(0, 12)}`, String(s.dim), String(s.vocabulary), `${s.found} (${percent(s.found / Math.max(s.vocabulary, 1))})`, percent(s.coverage)]),
    'Word vectors: the vocabulary of the training texts (padding and unknown included), the words with a vector in the file, and the share of the training tokens those words make up.');
}

/** The pretrained sources' own test scores and pretraining curves, and the word vectors used; empty for a source.model. */
export function sourceSection(sources: readonly SourceScores[], embeddings: readonly EmbeddingsSourceMeta[] = []): string {
  const vectors = embeddingsTable([
    ...embeddings.map((m) => ({ what: `source.embeddings, seed ${m.seed}`, stats: m.embeddings })),
    ...sources.flatMap((s) => (s.embeddings ? [{ what: s.key, stats: s.embeddings }] : [])),
  ]);
  if (sources.length === 0) return vectors ? `<section id="source"><h2>Source</h2>\n${vectors}\n</section>` : '';
  const curves = sources.filter((s) => s.curve && s.curve.length > 0).map((s, i) => {
    const metrics = Object.keys(s.curve![0]!.val);
    const rows = s.curve!.map((p) => [String(p.epoch), value(p.loss), value(p.valLoss), ...metrics.map((m) => value(p.val[m as keyof typeof p.val]))]);
    return table(`source-curve-${i}`, ['epoch', 'loss', 'validation loss', ...metrics.map((m) => `validation ${m}`)], rows,
      `Pretraining curve of ${s.key}, after each epoch.`);
  });
  return `<section id="source"><h2>Source model</h2>
${table('source-table', SOURCE_COLUMNS, sourceTable(sources), `The pretrained source on the test split of its own task. ${CHANCE_NOTE}`)}
${curves.join('\n')}
${vectors}
</section>`;
}
