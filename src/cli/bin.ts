#!/usr/bin/env node
import { main } from './main.js';

// A reader that stops early (tlx plan FILE | head -1) closes the pipe: that ends
// tlx quietly, as it does other command-line tools, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await main(process.argv.slice(2));
