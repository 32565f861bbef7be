/** The architectures every supervised family can build (models/build.ts). Light: no tfjs import, so parameter schemas can use it. */
export const ARCHS = ['mlp', 'cnn', 'lstm'] as const;

export type Arch = (typeof ARCHS)[number];
