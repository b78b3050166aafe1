import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 8080);
const token = process.env.SCIM_TOKEN;
if (!token) {
  console.error('Set SCIM_TOKEN to the bearer token your identity provider will send.');
  process.exit(2);
}
const { app, close } = createApp({
  filename: process.env.SCIM_DB ?? 'scim.db',
  tokens: { [token]: 'default' },
  audit: (entry) => console.log(JSON.stringify({ at: new Date().toISOString(), ...entry })),
});
const server = app.listen(port, '127.0.0.1', () => {
  console.log(`SCIM endpoint: http://127.0.0.1:${port}/scim/v2`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => close().then(() => process.exit(0))));
}
