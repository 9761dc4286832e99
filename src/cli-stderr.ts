// Imported first by src/cli.ts, before anything that creates the logger: the CLI's stdout carries only its output.
process.env.LOG_DESTINATION = 'stderr';
