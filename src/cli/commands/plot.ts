import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandArgs, type Command } from '../command';
import { resolveSweep } from '../resolve-sweep';

export const plotCommand: Command = {
  name: 'plot',
  summary: "a sweep's plots as SVG and PNG: curves and bars of means over seeds with ± std bands",
  help: `Usage: sweep plot SWEEP [--kind K] [--out DIR]

Draws the plot kinds of the sweep's family from its finished trials, each
point the mean over seeds with a band (or error bar) of ± 1 sample std, and
writes DIR/K.svg and DIR/K.png (twice the SVG's size) per kind.

  --kind K    one kind (default: every kind of the family); an unknown K lists the family's kinds
  --out DIR   where to write (default: plots/<sweep id>)

Kinds: infoflow: information-plane, mi-over-training; corruption: loss-increase;
regions: stable-units; transfer: accuracy; orthonormal: orthogonality-error;
and training-curves in every family that trains a network (all but noop).`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('plot', argv, { kind: { type: 'string' }, out: { type: 'string' } });
    // Loaded here, not at start-up: `--help` and usage errors need neither Prisma nor Vega.
    const [{ createPrisma }, { chosenPlotKinds, noDataReason, sweepPlotSvg }, { rasterisePng }] = await Promise.all([
      import('../../db/client'),
      import('../sweep-plots'),
      import('../../results/plots/rasterise-png'),
    ]);
    const prisma = createPrisma();
    try {
      const sweep = await resolveSweep(prisma, 'plot', positionals[0]);
      const kinds = chosenPlotKinds('plot', sweep.family, values.kind);
      const dir = values.out ?? join('plots', sweep.id);
      let written = 0;
      for (const kind of kinds) {
        const svg = await sweepPlotSvg(prisma, sweep.id, kind);
        if (svg === null) {
          console.error(`sweep plot: ${kind.name}: ${noDataReason(sweep.id, kind)}`);
          continue;
        }
        mkdirSync(dir, { recursive: true });
        for (const [ext, data] of [['svg', svg], ['png', rasterisePng(svg)]] as const) {
          const file = join(dir, `${kind.name}.${ext}`);
          writeFileSync(file, data);
          console.log(file);
        }
        written++;
      }
      return written === kinds.length ? 0 : 1;
    } finally {
      await prisma.$disconnect();
    }
  },
};
