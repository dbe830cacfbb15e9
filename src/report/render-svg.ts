import type { TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite spec drawn as SVG here, at report time, so the page shows its charts
 * without a script, and opens offline. Vega loads on first use: other commands
 * need not pay for it.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
