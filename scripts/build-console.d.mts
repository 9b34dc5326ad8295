/** Builds the web console into `outdir` (dist/console of the working folder unless told); the names of the files written. */
export function buildConsole(outdir?: string): Promise<string[]>;
