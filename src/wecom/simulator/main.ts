import { loadBots } from '../../config/bots.js';
import { loadEnv } from '../../config/env.js';
import { describeReceived } from './describe.js';
import { type Received, WecomSimulator } from './simulator.js';

/**
 * Standalone fake WeCom for the demo and for anyone without a tenant:
 *   npm run simulator                      (SIM_PORT, default 3900; bots from BOTS_DIR)
 *   WECOM_API_BASE=http://127.0.0.1:3900 npm start
 *   curl -XPOST localhost:3900/_sim/send -d '{"text":"@维保助手 LIS报告打印不出来，急","chatId":"wr_demo"}'
 *   curl localhost:3900/_sim/received
 */
async function main(): Promise<void> {
  const env = loadEnv();
  const bots = loadBots(env.BOTS_DIR);
  const port = Number(process.env.SIM_PORT ?? 3900);
  const service = process.env.SERVICE_URL ?? `http://${env.HOST}:${env.PORT}`;
  const sim = new WecomSimulator({ bots: bots.values(), port, host: process.env.SIM_HOST ?? '127.0.0.1', serviceUrl: service });
  const url = await sim.start();
  // SIM_LOG=text adds the first characters of each message (off by default: messages may name patients).
  const withText = process.env.SIM_LOG === 'text';
  sim.on('received', (r: Received) => {
    if (r.kind !== 'gettoken') process.stdout.write(`${new Date().toISOString()} #${r.seq} ${describeReceived(r, { withText })}\n`);
  });
  process.stdout.write(
    [
      `WeCom simulator on ${url} (bots: ${[...bots.keys()].join(', ')})`,
      `Start the service against it:  WECOM_API_BASE=${url} npm start`,
      `Send a group message:  curl -XPOST ${url}/_sim/send -d '{"text":"@维保助手 LIS报告打印不出来，急","chatId":"wr_demo","from":"nurse01"}'`,
      `Click a card button:   curl -XPOST ${url}/_sim/click -d '{"eventKey":"claim:12","taskId":"t12","from":"zhangwei"}'`,
      `What WeCom received:   curl ${url}/_sim/received   (then ?since=<last seq> for only what is new)`,
      `(callbacks go to ${service}; override per call with "serviceUrl" or with SERVICE_URL)`,
      '',
    ].join('\n'),
  );
  const stop = () => void sim.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`simulator: ${(e as Error).message}\n`);
  process.exit(1);
});
