/** The HTTP API process. Run apps/migrate first: the API does not change the schema. */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadApiConfig } from '../../libs/config';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadApiConfig();
  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  Logger.log(`API listening on http://0.0.0.0:${port} (docs at /docs)`, 'api');
}

main().catch((err: unknown) => {
  process.stderr.write(`api: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
